#!/usr/bin/env bash
# Where the heap of an idle connection goes: starts the built server jar with the benchmark's flags for `idle`
# (bench/README.md, "Fairness rules"), takes a class histogram before and after N idle WebSocket connections, and
# prints the difference per connection (bench/heap/histogram_diff.py) and the RSS per connection.
#   bench/heap/idle-histogram.sh [N] [extra JVM options...]      N defaults to 2000
# IDLE_HOLD_S=60 holds the sockets that many seconds before the second histogram (default 2): the benchmark's full
# idle scenario holds them 60 s, through two keepalive rounds, which add to each parked thread's stack (docs/performance.md).
# IDLE_NMT=1 (set to enable) also runs the JVM with native memory tracking and prints what grew outside the heap
# (JIT code, metaspace: the one-time cost of the first connections, which a figure at 2,000 sockets still carries).
# IDLE_WARM=M first opens and closes M sockets (0: waits as long, opens none), so that the native and heap figures
# leave that one-time cost out; RSS then grows less than the heap, as the first sockets made its pages resident.
# Output and the two histograms land in bench/results/tmp/heap/ (ignored by git). Needs server/target/matchbook-server.jar
# (./run.sh or mvn -B package -DskipTests -pl web-client,server -am builds it) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/env.sh
use_jdk
n="${1:-2000}"
shift || true
out=bench/results/tmp/heap
mkdir -p "$out"
rm -f "$out"/{before,after,native,threads,warm,clients,server}.* "$out/clients.in"
port=$(free_port)
ulimit -n "$(ulimit -Hn)"
nmt=()
[ -n "${IDLE_NMT:-}" ] && nmt=(-XX:NativeMemoryTracking=summary)
taskset -c 0 "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseSerialGC -Xms64m ${nmt[@]+"${nmt[@]}"} --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Dserver.port="$port" -Dmatchbook.store=memory \
    -Dmatchbook.limits.frames-per-second=100000 -Dmatchbook.limits.connections-per-second=100000 \
    -Dmatchbook.limits.sends-per-second=1000000 -Dmatchbook.limits.connections-per-user=64 "$@" \
    -jar server/target/matchbook-server.jar >"$out/server.log" 2>&1 &
pid=$!
clients=
cleanup() {
    [ -n "$clients" ] && kill "$clients" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
}
trap cleanup EXIT
ready=
for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.3
done
if [ -z "$ready" ]; then
    echo "the server did not start (port $port): see $out/server.log" >&2
    exit 1
fi
rss() { awk '/^VmRSS/ {print $2 * 1024}' "/proc/$pid/status"; }
if [ -n "${IDLE_WARM:-}" ]; then
    # The clients exit when their stdin closes: after 3 s here, once every socket has been welcomed. IDLE_WARM=0 is
    # the control: the same 6 s of waiting before the baseline, no sockets.
    taskset -c 1 python3 bench/heap/idle_clients.py "$port" "$IDLE_WARM" < <(sleep 3) >"$out/warm.log" 2>&1 || true
    if ! grep -q "^open $IDLE_WARM\$" "$out/warm.log"; then
        echo "the warm-up did not welcome $IDLE_WARM sockets: see $out/warm.log" >&2
        exit 1
    fi
    sleep 3
fi
jcmd "$pid" GC.class_histogram >"$out/before.txt"
[ -n "${IDLE_NMT:-}" ] && jcmd "$pid" VM.native_memory baseline >/dev/null
rss_before=$(rss)
fifo="$out/clients.in"
rm -f "$out/clients.log"
touch "$out/clients.log"
rm -f "$fifo"
mkfifo "$fifo"
taskset -c 1 python3 bench/heap/idle_clients.py "$port" "$n" <"$fifo" >"$out/clients.log" 2>&1 &
clients=$!
exec 3>"$fifo"
for _ in $(seq 1 600); do
    grep -q '^open ' "$out/clients.log" && break
    sleep 0.5
done
cat "$out/clients.log"
sleep "${IDLE_HOLD_S:-2}"
rss_after=$(rss)
jcmd "$pid" GC.class_histogram >"$out/after.txt"
rss_gc=$(rss)
# The first figure is the benchmark's (bytes_per_conn: after the hold, before any full GC); the second follows the
# histogram's full GC, which can make the heap's pages resident again.
echo "rss per connection: $(( (rss_after - rss_before) / n )) bytes before the histogram's full GC," \
     "$(( (rss_gc - rss_before) / n )) after it"
python3 bench/heap/histogram_diff.py "$out/before.txt" "$out/after.txt" "$n" 40
if [ -n "${IDLE_NMT:-}" ]; then
    jcmd "$pid" VM.native_memory summary.diff >"$out/native.txt"
    echo "outside the heap, committed KB against before the sockets (the whole diff: $out/native.txt):"
    grep -E '^-' "$out/native.txt" | grep -v 'Java Heap' | grep -E 'committed=[0-9]+KB [+-]' | sed 's/^- *//' \
        || echo "(nothing changed)"
    # The sum leaves out the tracker's own memory and the compiler's arenas (freed to the C library's heap and used
    # again, so they come and go with the moment of the baseline: docs/performance.md, bench/results/idle-native-*).
    awk -v n="$n" '/^-/ && !/Java Heap|Native Memory Tracking|Arena Chunk/ {
            if (match($0, /committed=[0-9]+KB [+-][0-9]+KB/)) {
                d = substr($0, RSTART, RLENGTH); sub(/.* /, "", d); sub(/KB/, "", d); sum += d
            }
        }
        END { printf "outside the heap in all (less the tracker and the arenas): %+d KB (KiB), %+d bytes per connection\n",
              sum, sum * 1024 / n }' "$out/native.txt"
fi
if [ -n "${IDLE_THREAD_DUMP:-}" ]; then jcmd "$pid" Thread.dump_to_file -format=text "$PWD/$out/threads.txt" >/dev/null; fi
exec 3>&-
