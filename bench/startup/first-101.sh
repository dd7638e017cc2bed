#!/usr/bin/env bash
# Start-up to first WebSocket: starts the built server jar on a free port (memory store, the benchmark's limits),
# retries a WebSocket upgrade at /ws every 20 ms until one is answered 101, prints the milliseconds from the JVM's
# launch to that answer, then stops the server. What a client of the storm scenario waits for after a restart.
# For a distribution of runs, time it from outside:
#   farm-bench -n 10 --timeout 300 -- bench/startup/first-101.sh
#   farm-bench -n 10 --timeout 300 -- bench/startup/first-101.sh -XX:AOTCache=bench/results/tmp/matchbook.aot
#   bench/startup/first-101.sh [JVM options...]
# Needs server/target/matchbook-server.jar and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/env.sh
use_jdk
port=$(free_port)
gc=-XX:+UseSerialGC   # the benchmark's; another collector named in the options replaces it
for a in "$@"; do [[ "$a" == -XX:+Use*GC ]] && gc=; done
start=$(date +%s%N)
"$JAVA_HOME/bin/java" -Xmx1g $gc --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Dserver.port="$port" -Dmatchbook.store=memory \
    -Dmatchbook.limits.connections-per-second=100000 "$@" -jar server/target/matchbook-server.jar >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
python3 - "$port" "$pid" <<'PY'
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
req = (f"GET /ws?id=first HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the server exited before answering")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(req)
            if s.recv(12).startswith(b"HTTP/1.1 101"):
                break
    except OSError:
        pass
    time.sleep(0.02)
PY
echo "first 101 after $(( ($(date +%s%N) - start) / 1000000 )) ms"
