package com.matchbook.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The servers under test: how to start each, which wire it speaks, and how it is asked to broadcast. */
enum ServerKind {
    MATCHBOOK("matchbook", 18081, Wire.CORE, true, true, true),
    MATCHBOOK_DISK("matchbook-disk", 18082, Wire.CORE, true, true, true),
    SOCKETIO("socketio", 18083, Wire.SOCKETIO, false, false, true),
    WS("ws", 18084, Wire.CORE, false, false, false),
    NETTY("netty", 18085, Wire.CORE, true, false, false);

    /**
     * The same for Matchbook and the Netty hub; Serial GC is what the JVM picks by itself on one core anyway. GC
     * pauses are logged into each server's log (bench/results/tmp/logs) to tell them apart from the server's work.
     */
    static final List<String> JVM_FLAGS = List.of("-Xmx1g", "-XX:+UseSerialGC", "-Xlog:gc:stdout",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    /**
     * {@code idle} measures footprint: a small initial heap, so RSS grows only with what the connections hold
     * (a big young generation would add every page its garbage touched).
     */
    static final List<String> FOOTPRINT_HEAP = List.of("-Xms64m");
    /**
     * Under load a heap sized for it. Matchbook's memory store keeps up to 1000 messages per user, and every young
     * collection copies what arrived since the last one: with the JVM's own young size for 1 GB (~340 MB) that
     * took 75-130 ms per pause; with the ~20 MB young generation of a 64 MB start, 20+ collections a second.
     * {@code -Dbench.load-heap=-Xms1g,-Xmn256m} (via MATCHBOOK_BENCH_JAVA_OPTS) to try others.
     */
    static final List<String> LOAD_HEAP = List.of(System.getProperty("bench.load-heap", "-Xms1g,-Xmn64m").split(","));
    /** Generous enough that Matchbook's own limits never shape the load. */
    static final List<String> MATCHBOOK_LIMITS = List.of("-Dmatchbook.limits.frames-per-second=100000",
            "-Dmatchbook.limits.connections-per-second=100000", "-Dmatchbook.limits.sends-per-second=1000000",
            "-Dmatchbook.limits.connections-per-user=64");

    final String id;
    final int port;
    final Wire wire;
    final boolean jvm;
    /** Reconnects with {@code since=<last seq>} (the server keeps history). */
    final boolean resumes;
    /** Broadcasts on {@code POST /api/broadcast}; otherwise a client's {@code broadcast} frame. */
    final boolean httpBroadcast;

    ServerKind(String id, int port, Wire wire, boolean jvm, boolean resumes, boolean httpBroadcast) {
        this.id = id;
        this.port = port;
        this.wire = wire;
        this.jvm = jvm;
        this.resumes = resumes;
        this.httpBroadcast = httpBroadcast;
    }

    static ServerKind of(String id) {
        for (ServerKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown server " + id);
    }

    String broadcastMethod() {
        return httpBroadcast ? "POST /api/broadcast" : "a client's {\"type\":\"broadcast\"} frame";
    }

    /** {@code MATCHBOOK_BENCH_SERVER_JAVA_OPTS}, for diagnostics such as a flight recording; recorded in the results. */
    static List<String> extraJvmFlags() {
        String extra = System.getProperty("bench.server-java-opts", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    static List<String> heap(boolean footprint) {
        return footprint ? FOOTPRINT_HEAP : LOAD_HEAP;
    }

    List<String> command(Path bench, Path dataDir, boolean footprint) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        switch (this) {
            case MATCHBOOK, MATCHBOOK_DISK -> {
                cmd.add(java);
                cmd.addAll(heap(footprint));
                cmd.addAll(JVM_FLAGS);
                cmd.addAll(extraJvmFlags());
                cmd.add("-Dserver.port=" + port);
                cmd.add("-Dserver.host=127.0.0.1");
                cmd.addAll(MATCHBOOK_LIMITS);
                cmd.add(this == MATCHBOOK ? "-Dmatchbook.store=memory" : "-Dmatchbook.data-dir=" + dataDir);
                cmd.add("-jar");
                cmd.add(bench.resolveSibling("server").resolve("target/matchbook-server.jar").toString());
            }
            case NETTY -> {
                cmd.add(java);
                cmd.addAll(heap(footprint));
                cmd.addAll(JVM_FLAGS);
                cmd.addAll(extraJvmFlags());
                cmd.add("-Dport=" + port);
                cmd.add("-jar");
                cmd.add(bench.resolve("netty-hub/target/netty-hub.jar").toString());
            }
            case SOCKETIO -> cmd.addAll(List.of("node", bench.resolve("peers/socketio-server.js").toString()));
            case WS -> cmd.addAll(List.of("node", bench.resolve("peers/ws-server.js").toString()));
        }
        return cmd;
    }
}
