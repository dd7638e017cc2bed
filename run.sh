#!/usr/bin/env bash
# Runs Matchbook Realtime with its defaults: http://localhost:8080, messages kept in ./data.
# Builds it first when the jar is missing or older than the sources. JVM options and -D overrides are passed through:
#   ./run.sh -Dserver.port=9090 -Dmatchbook.store=memory
# Production JVM defaults (README "Performance", "JVM options"), each left out when the options name their own:
#   -XX:+UseZGC (generational), the lowest p99 measured for the default disk store, with a heap of at most 1 GiB
#   that starts at 64 MiB (committing a whole 1 GiB at launch kept the port closed 0.1-0.25 s longer after a crash)
#   and that ZGC tries to keep under 256 MiB (-XX:SoftMaxHeapSize: it collects before the heap grows into pages it
#   never touched, whose first touch costs a page fault each; only with both of those defaults; the server raises
#   that goal to twice its live heap when it needs more room: matchbook.jvm.soft-max-follows-live);
#   on JDK 25+ and with those two, the JDK's ahead-of-time cache server/target/matchbook.aot: recorded by the first
#   run after a build (written when that run stops), used by every later start, which then takes about half the time.
# MATCHBOOK_JVM_DEFAULTS=none turns all of them off.
set -euo pipefail
cd "$(dirname "$0")"
source bin/env.sh
use_jdk

jar=server/target/matchbook-server.jar
if [ ! -f "$jar" ] || [ -n "$(find protocol/src protocol/pom.xml server/src docs/openapi.yaml docs/asyncapi.yaml docs/protocol.md web-client/src web-client/static pom.xml server/pom.xml web-client/pom.xml \
        -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    seed_node
    mvn -B -q package -DskipTests -pl web-client,server -am
fi

named() {   # named PATTERN ARGS...: whether one of ARGS matches the glob PATTERN
    local pattern="$1" a
    shift
    for a in "$@"; do
        # shellcheck disable=SC2053
        [[ "$a" == $pattern ]] && return 0
    done
    return 1
}
defaults=()
if [ "${MATCHBOOK_JVM_DEFAULTS:-}" != none ]; then
    version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    own_memory=
    if named '-XX:+Use*GC' "$@"; then
        own_memory=1
    else
        defaults+=(-XX:+UseZGC)
        [ "$version" -lt 23 ] && defaults+=(-XX:+ZGenerational)   # the default from JDK 23 on
    fi
    if named '-Xm[sx]*' "$@" || named '-XX:MaxHeapSize=*' "$@" || named '-XX:InitialHeapSize=*' "$@" \
            || named '-XX:*RAMPercentage=*' "$@"; then
        own_memory=1
    else
        defaults+=(-Xms64m -Xmx1g)
    fi
    if [ -z "$own_memory" ] && ! named '-XX:SoftMaxHeapSize=*' "$@"; then
        defaults+=(-XX:SoftMaxHeapSize=256m)   # a goal for ZGC, not a limit: the heap still grows to 1 GiB if it must
    fi
    # The cache holds the collector's and the heap's layout: recorded with the defaults, it serves only them.
    if [ "$version" -ge 25 ] && [ -z "$own_memory" ] && ! named '-XX:AOT*' "$@"; then
        aot=server/target/matchbook.aot
        if [ -f "$aot" ] && [ "$aot" -nt "$jar" ]; then
            defaults+=(-XX:AOTCache="$aot")
        else
            rm -f "$aot"
            defaults+=(-XX:AOTCacheOutput="$aot")
        fi
    fi
fi
exec bin/matchbook-server "${defaults[@]}" "$@"
