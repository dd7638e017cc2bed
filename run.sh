#!/usr/bin/env bash
# Runs Matchbook Realtime with its defaults: http://localhost:8080, messages kept in ./data.
# Builds it first when the jar is missing or older than the sources. JVM options and -D overrides are passed through:
#   ./run.sh -Dserver.port=9090 -Dmatchbook.store=memory
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
exec bin/matchbook-server "$@"
