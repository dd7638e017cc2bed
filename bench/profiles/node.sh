# Shared by the scripts that watch one benchmark node from outside while `bench/run quick` runs it
# (message_us.sh, syscalls.sh). Source it first thing (`source "$(dirname "$0")/node.sh"`).

# Checks the usage `$1 OUT_DIR KIND...` (script name, then the script's arguments), sets `out` to OUT_DIR's absolute
# path (given relative to where the script was started), enters the checkout's root and sets JAVA_HOME
# (bin/env.sh's use_jdk). The caller then shifts OUT_DIR off its own arguments.
enter_checkout() {
    local script=$1
    shift
    [ $# -ge 2 ] || { echo "usage: $script OUT_DIR KIND..." >&2; exit 2; }
    out="$(realpath -m "$1")"
    cd "$(dirname "${BASH_SOURCE[0]}")/../.."
    source bin/env.sh
    use_jdk
}

# Whether the benchmark runs server kind $1 (bench/generator's ServerKind) as one process this file can find: the
# Matchbook kinds but the Redis ones (two nodes and a Redis), the Netty hub, the Helidon and NIO gauges, ws and
# Socket.IO.
single_node_kind() {
    case "$1" in
        matchbook|matchbook-tiered|matchbook-disk|matchbook-journal|netty|helidon|nio|ws|socketio) return 0 ;;
        *) return 1 ;;
    esac
}

# Ends the script (status 2) unless every kind named passes test $1 (a function), saying which did not.
require_kinds() {
    local test=$1 kind
    shift
    for kind in "$@"; do
        "$test" "$kind" || { echo "server kind $kind cannot be watched here (${test//_/ })" >&2; exit 2; }
    done
}

# The measured process of a server kind started by this checkout's benchmark: the JVM or Node process itself (the
# benchmark launches it through taskset), never an AOT training run (-XX:AOTCacheOutput), another checkout's node, or
# a shell whose command line merely mentions the path. Prints the pid, or nothing yet.
node_pid() {
    local kind=$1 pattern pid
    local root
    root=$(printf '%s' "$PWD" | sed 's/[][\.*^$+?(){}|]/\\&/g')
    case "$kind" in
        matchbook|matchbook-tiered|matchbook-disk|matchbook-journal) pattern="java.*-jar $root/server/target/matchbook-server\.jar" ;;
        netty) pattern="java.*-jar $root/bench/netty-hub/target/netty-hub\.jar" ;;
        helidon) pattern="java.*-jar $root/bench/helidon-hub/target/helidon-hub\.jar" ;;
        nio) pattern="java.*-jar $root/bench/nio-hub/target/nio-hub\.jar" ;;
        ws|socketio) pattern="^node $root/bench/peers/$kind-server\.js" ;;
        *) echo "node.sh: no process pattern for kind $kind" >&2; return 2 ;;
    esac
    for pid in $(pgrep -f "$pattern"); do
        [ -r "/proc/$pid/cmdline" ] || continue   # gone since pgrep saw it
        grep -qa -- '-XX:AOTCacheOutput' "/proc/$pid/cmdline" 2>/dev/null && continue
        case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */java|*/node) ;; *) continue ;; esac   # not taskset yet
        echo "$pid"
        return 0
    done
}

# Writes the launch of process $1 to file $2, in seconds since the epoch, from the kernel's start time of the process
# (/proc/stat's btime is whole seconds: the clock less /proc/uptime gives the boot to 0.01 s).
record_launch() {
    local started hz
    started=$(awk '{print $22}' "/proc/$1/stat")
    hz=$(getconf CLK_TCK)
    echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/uptime) $started $hz" \
        | awk '{printf "%.3f\n", $1 - $2 + $3 / $4}' > "$2"
}

# Refuses an OUT_DIR that holds files: the scripts' readers take every run dir in it as one of this invocation's.
require_empty_dir() {
    if [ -n "$(ls -A "$1" 2>/dev/null)" ]; then
        echo "$1 is not empty: its older runs would be read with this one's; give a new or empty OUT_DIR" >&2
        exit 2
    fi
}

# bench/run overwrites bench/results/quick.{json,md} and the quick charts: put back their committed versions.
restore_quick_results() {
    git checkout -q -- bench/results/quick.json bench/results/quick.md "bench/results/quick-*.svg" 2>/dev/null || true
}

# An interrupted run must not leave its watcher polling: it would take the next node this checkout starts.
watcher=
stop_watching() {
    [ -z "$watcher" ] || kill "$watcher" 2>/dev/null || true   # under set -e a failed kill would skip the restore
    restore_quick_results
}

# Runs `bench/run quick --servers KIND --scenarios p2p` once per KIND, each into OUT_DIR/<n>-<kind>/ (run.out, and the
# run's quick.json when it ended well), with `WATCH DIR KIND` in the background meanwhile (its output in
# DIR/WATCH.out) and `CHECK DIR KIND` afterwards, which says on stderr and returns non-zero when the watcher got
# nothing. Runs at MATCHBOOK_BENCH_NICE=-10 with MATCHBOOK_BENCH_NO_SERVER_BUILD=1. Exits 1 if any run broke or
# failed its check.
watched_p2p_runs() {
    local out=$1 watch=$2 check=$3 kind dir status i=0 failures=0
    shift 3
    # Armed here, once the arguments passed: an early usage error leaves the results as they are. bench/run answers
    # Ctrl-C by exiting 130 (its own trap), so the interrupt must end this loop too, not only the run in hand.
    trap stop_watching EXIT
    trap 'exit 130' INT TERM
    for kind in "$@"; do
        i=$((i + 1))
        dir="$out/$i-$kind"
        mkdir -p "$dir"
        rm -f bench/results/quick.json
        "$watch" "$dir" "$kind" > "$dir/$watch.out" 2>&1 &
        watcher=$!
        status=0
        MATCHBOOK_BENCH_NICE=-10 MATCHBOOK_BENCH_NO_SERVER_BUILD=1 bench/run quick --servers "$kind" --scenarios p2p \
            > "$dir/run.out" 2>&1 || status=$?
        kill "$watcher" 2>/dev/null || true   # a run that broke before its node started leaves the watcher waiting
        wait "$watcher" 2>/dev/null || true
        watcher=
        [ "$status" -ne 130 ] || exit 130   # interrupted
        if [ "$status" -ne 0 ] || [ ! -f bench/results/quick.json ]; then
            echo "bench/run failed for $kind (status $status): see $dir/run.out" >&2
            failures=$((failures + 1))
            continue
        fi
        cp bench/results/quick.json "$dir/quick.json"
        if ! "$check" "$dir" "$kind"; then
            failures=$((failures + 1))
            continue
        fi
        echo "$i $kind done $(date -u +%T)"
    done
    [ "$failures" -eq 0 ] || { echo "$failures of $i runs failed" >&2; exit 1; }
}
