#!/usr/bin/env bash
# Counts the system calls and context switches of one node per server kind through a p2p ramp, one quick run each,
# for bench/profiles/syscalls.py:
#   bench/profiles/syscalls.sh OUT_DIR KIND...        e.g. matchbook ws matchbook-tiered netty socketio
# Each run's files land in OUT_DIR/<n>-<kind>/ (OUT_DIR must be new or empty): quick.json, run.out, perf.csv (perf
# stat's counts every 250 ms, `-x,`), count.out (what perf printed), events (what perf was asked to count),
# perf-start (when perf began counting, seconds since the epoch) and launch (the node's launch, from the kernel's
# start time of its process). KIND is one process: a Matchbook kind but the Redis ones, ws, socketio, netty or
# helidon. Needs Linux perf with the syscalls and sched tracepoints, and the right to trace the node (root, or
# perf_event_paranoid <= 1 for one's own processes). perf counts in the kernel and only counts (no samples, no
# stacks), so the node keeps its AOT cache; each counted call costs a little more, so the counts are what a message
# costs, not a rate to quote: take rates from plain runs.
# Runs with MATCHBOOK_BENCH_NICE=-10 and MATCHBOOK_BENCH_NO_SERVER_BUILD=1, and puts back the committed
# bench/results/quick.{json,md} and quick charts when it ends. Exits 1 if a run broke or perf counted nothing, 2 on
# a usage error.
set -euo pipefail
source "$(dirname "$0")/node.sh"
enter_checkout syscalls.sh "$@"
shift
command -v perf > /dev/null || { echo "no perf on the PATH (Debian: linux-perf)" >&2; exit 2; }
require_empty_dir "$out"   # syscalls.py table OUT_DIR/* reads every run dir in it
require_kinds single_node_kind "$@"

# Each read, write and wait family by its tracepoint; whatever this kernel lacks is left out (perf refuses a list
# with an unknown event). raw_syscalls counts every system call, sched_switch each time a thread left the CPU.
events=raw_syscalls:sys_enter,sched:sched_switch
for call in read readv recvfrom recvmsg write writev sendto sendmsg epoll_ctl epoll_wait epoll_pwait epoll_pwait2 \
            futex fdatasync fsync pwrite64; do
    # grep reads all of perf's output (no -q): under pipefail an early exit could fail perf with SIGPIPE.
    if perf list "syscalls:sys_enter_$call" 2>/dev/null | grep "sys_enter_$call " > /dev/null; then
        events="$events,syscalls:sys_enter_$call"
    fi
done

count() {
    local dir=$1 kind=$2 pid
    until pid=$(node_pid "$kind") && [ -n "$pid" ]; do sleep 0.2; done   # pgrep costs ms a call
    record_launch "$pid" "$dir/launch"
    echo "$events" > "$dir/events"   # syscalls.py shows a family this kernel could not count as n/a
    # Taken just before perf starts counting: perf's zero is later by its own start-up (ms).
    date +%s.%N > "$dir/perf-start"
    # Ends by itself when the node exits (the benchmark kills it after the scenario).
    exec perf stat -e "$events" -p "$pid" -I 250 -x, -o "$dir/perf.csv"
}

counted() {
    grep -Eq '^ *[0-9.]+,[0-9]+,,raw_syscalls' "$1/perf.csv" 2>/dev/null \
        || { echo "perf counted nothing for $2's node: see $1/count.out" >&2; return 1; }
}

watched_p2p_runs "$out" count counted "$@"
