#!/usr/bin/env bash
# Launch to held port: starts the built server jar on core 0 (memory store) on a free port, tries a TCP connect
# every 2 ms, prints the milliseconds from the launch to the first connect the kernel completes and to the first
# /health 200, then stops the server. With net.ipv4.tcp_migrate_req=1 the first figure is when the start-up
# backlog binds the port (server limits.StartupBacklog; docs/performance.md, "Storm: the port held while the
# node starts"); with 0 the node holds nothing and it is when the web server listens. Compare heap or JVM options, e.g.
#   bench/startup/port-held.sh -XX:+UseZGC -Xms1g -Xmx1g
#   bench/startup/port-held.sh -XX:+UseZGC -Xms64m -Xmx1g -XX:AOTCache=bench/results/tmp/matchbook.aot
# Needs server/target/matchbook-server.jar and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/env.sh
use_jdk
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" "$JAVA_HOME/bin/java" "$@" <<'PY'
import os, socket, subprocess, sys, time, urllib.request
port, java, extra = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
cmd = ["taskset", "-c", "0", java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
       *extra, f"-Dserver.port={port}", "-Dserver.host=127.0.0.1", "-Dmatchbook.store=memory",
       "-jar", "server/target/matchbook-server.jar"]
start = time.monotonic()
server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    held = None
    while held is None:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode} before its port took a connection")
        with socket.socket() as s:
            try:
                s.connect(("127.0.0.1", port))
                held = time.monotonic() - start
            except OSError:
                time.sleep(0.002)
    while True:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).status == 200:
                break
        except OSError:
            time.sleep(0.01)
    print(f"port takes connections after {held * 1000:.0f} ms, /health 200 after {(time.monotonic() - start) * 1000:.0f} ms")
finally:
    server.terminate()
    server.wait()
PY
