package com.matchbook.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers under test: how to start each, which wire it speaks, and how it is asked to broadcast.
 * {@code matchbook-redis} is not one process but three: a redis-server and two Matchbook nodes sharing it
 * ({@code -Dmatchbook.broker=redis}), on ports {@code port} and {@code port + 1}; see {@link ServerProcess}.
 */
enum ServerKind {
    MATCHBOOK("matchbook", 18081, Wire.CORE, true, true, true),
    /** The SQLite store alone ({@code matchbook.store=disk}), the default until 2026-12-01. */
    MATCHBOOK_DISK("matchbook-disk", 18082, Wire.CORE, true, true, true),
    /** The journal store ({@code matchbook.store=journal}): history in memory, changes synced to an append-only file. */
    MATCHBOOK_JOURNAL("matchbook-journal", 18092, Wire.CORE, true, true, true),
    /**
     * The tiered store ({@code matchbook.store=tiered}): the journal for recent history, SQLite for what the mover
     * takes out of memory.
     */
    MATCHBOOK_TIERED("matchbook-tiered", 18094, Wire.CORE, true, true, true),
    SOCKETIO("socketio", 18083, Wire.SOCKETIO, false, false, true),
    WS("ws", 18084, Wire.CORE, false, false, false),
    NETTY("netty", 18085, Wire.CORE, true, false, false),
    /**
     * Not a peer of the goals but a gauge: the Netty hub's protocol on Helidon's own WebSocket server, the framework
     * and thread-per-connection model Matchbook runs on, with none of Matchbook's work (bench/helidon-hub). Run with
     * {@code --servers helidon,...}; started with the Netty hub's flags.
     */
    HELIDON("helidon", 18096, Wire.CORE, true, false, false),
    /**
     * A gauge like {@link #HELIDON}: the same protocol on the JDK's own non-blocking sockets with one selector thread
     * (bench/nio-hub), the model Matchbook would have if it left the thread per connection but kept the JDK's
     * sockets. Run with {@code --servers nio,...}; started with the Netty hub's flags.
     */
    NIO("nio", 18098, Wire.CORE, true, false, false),
    /** Two nodes on one Redis with {@code appendfsync everysec}: Redis's default, up to ~1 s lost in a crash. */
    MATCHBOOK_REDIS("matchbook-redis", 18086, Wire.CORE, true, true, true, "everysec"),
    /** The same with {@code appendfsync always}: the setting under which an acknowledged message survives a crash. */
    MATCHBOOK_REDIS_ALWAYS("matchbook-redis-always", 18088, Wire.CORE, true, true, true, "always");

    /** Matchbook nodes of a Redis kind. */
    static final int REDIS_NODES = 2;

    /**
     * The Netty hub's, and Matchbook's for footprint (idle, compression); Serial GC is what the JVM picks by itself on
     * one core anyway. GC pauses are logged into each server's log (bench/results/tmp/logs) to tell them apart from
     * the server's work.
     */
    static final List<String> JVM_FLAGS = List.of("-Xmx1g", System.getProperty("bench.gc", "-XX:+UseSerialGC"),
            "-Xlog:gc:stdout", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    /**
     * Matchbook under load runs with the collector and heap that {@code ./run.sh} starts it with in production
     * (README "JVM options"), as the performance goals ask, not with the Netty hub's Serial GC: on one core the
     * memory store's young pauses under Serial (25-50 ms, every stored message is copied out of the young
     * generation) set its p99 at 5,000 msg/s (21 ms), where ZGC's pauses stay under a millisecond.
     * {@code -Dbench.matchbook-load-jvm=a,b} (via MATCHBOOK_BENCH_JAVA_OPTS) to try others; idle and compression,
     * which measure footprint, keep {@link #JVM_FLAGS} with {@link #FOOTPRINT_HEAP}.
     */
    static final List<String> MATCHBOOK_LOAD_JVM = flags(System.getProperty("bench.matchbook-load-jvm",
                                                                            "-XX:+UseZGC,-Xms64m,-Xmx1g,"
                                                                            + "-XX:SoftMaxHeapSize=256m"));
    /** What every JVM server gets besides its collector and heap. */
    static final List<String> COMMON_JVM_FLAGS = List.of("-Xlog:gc:stdout", "--enable-native-access=ALL-UNNAMED",
                                                         "--sun-misc-unsafe-memory-access=allow");
    /**
     * {@code idle} measures footprint: a small initial heap, so RSS grows only with what the connections hold
     * (a big young generation would add every page its garbage touched).
     */
    static final List<String> FOOTPRINT_HEAP = List.of("-Xms64m");
    /**
     * The Netty hub's heap under load: sized for it, with a young generation small enough that its Serial pauses
     * stay short. {@code -Dbench.load-heap=-Xms1g,-Xmn256m} (via MATCHBOOK_BENCH_JAVA_OPTS) to try others.
     */
    static final List<String> LOAD_HEAP = List.of(System.getProperty("bench.load-heap", "-Xms1g,-Xmn64m").split(","));
    /**
     * Generous enough that Matchbook's own limits never shape the load. Every client comes from a few loopback
     * addresses, so the per-address cap is lifted; the node cap is raised to what the generator can open (its
     * default, derived from the 20,000-descriptor limit, is 16,875), still leaving its refusal band and the node's
     * own descriptors under the limit.
     */
    static final List<String> MATCHBOOK_LIMITS = List.of("-Dmatchbook.limits.frames-per-second=100000",
            "-Dmatchbook.limits.connections-per-second=100000", "-Dmatchbook.limits.sends-per-second=1000000",
            "-Dmatchbook.limits.connections-per-user=64", "-Dmatchbook.limits.connections-per-address=1000000",
            "-Dmatchbook.limits.max-connections=18500");

    /**
     * Extra flags for the nodes of the Redis kinds only, for diagnostics ({@code -Dbench.redis-node-flags=a,b} in
     * MATCHBOOK_BENCH_JAVA_OPTS); none by default. (Until the server bounded its Redis pool's wait, a one-core node
     * wedged on a connect burst and needed {@code -Djdk.virtualThreadScheduler.parallelism=2} here.)
     */
    static final List<String> REDIS_NODE_FLAGS = flags(System.getProperty("bench.redis-node-flags", ""));

    private static List<String> flags(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    final String id;
    final int port;
    final Wire wire;
    final boolean jvm;
    /** Reconnects with {@code since=<last seq>} (the server keeps history). */
    final boolean resumes;
    /** Broadcasts on {@code POST /api/broadcast}; otherwise a client's {@code broadcast} frame. */
    final boolean httpBroadcast;
    /** Redis's {@code appendfsync} for the kinds that run on Redis; null for the others. */
    final String redisFsync;

    ServerKind(String id, int port, Wire wire, boolean jvm, boolean resumes, boolean httpBroadcast) {
        this(id, port, wire, jvm, resumes, httpBroadcast, null);
    }

    /**
     * @param port the kind's port; {@code -Dbench.port-offset=N} (in MATCHBOOK_BENCH_JAVA_OPTS) adds N to every
     *             kind's, for a second run on the same machine
     */
    ServerKind(String id, int port, Wire wire, boolean jvm, boolean resumes, boolean httpBroadcast, String redisFsync) {
        this.id = id;
        this.port = port + Integer.getInteger("bench.port-offset", 0);
        this.wire = wire;
        this.jvm = jvm;
        this.resumes = resumes;
        this.httpBroadcast = httpBroadcast;
        this.redisFsync = redisFsync;
    }

    boolean redis() {
        return redisFsync != null;
    }

    /** The ports clients connect to: one, or one per node (client {@code i} goes to {@code ports[i % n]}). */
    int[] ports() {
        if (!redis()) {
            return new int[] {port};
        }
        int[] ports = new int[REDIS_NODES];
        for (int i = 0; i < REDIS_NODES; i++) {
            ports[i] = port + i;
        }
        return ports;
    }

    /**
     * Why this kind does not run a scenario, or null when it does. {@code compression} runs only on the single
     * Matchbook kinds ({@link CompressionScenario#appliesTo}). The Redis kinds skip {@code storm}: killing the
     * whole cluster at once is not the failure it is built for, and killing one node needs clients that move to
     * the other (a balancer, or several base URLs), which the generator's clients do not do. The Helidon gauge
     * speaks only the socket side and has no outbox, so it runs {@code p2p}, {@code idle} and {@code broadcast}.
     */
    String skips(String scenario) {
        if (this == NIO && (scenario.equals("storm") || scenario.equals("slow"))) {
            return "the NIO gauge serves no POST /send-message (storm) and has no outbox limit (slow): it measures only"
                    + " the JDK selector's own cost";
        }
        if (this == HELIDON && (scenario.equals("storm") || scenario.equals("slow"))) {
            return "the Helidon gauge serves no POST /send-message (storm) and has no outbox, so a client that stops"
                    + " reading blocks its senders (slow): it measures only the framework's own cost";
        }
        if (scenario.equals("compression") && !CompressionScenario.appliesTo(this)) {
            return "compression measures Matchbook's own permessage-deflate: one Matchbook process only";
        }
        if (redis() && scenario.equals("storm")) {
            return "storm is not defined for two nodes (the clients reconnect to one fixed node, there is no"
                    + " balancer to move them to the surviving node)";
        }
        return null;
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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One Matchbook process: the flags every Matchbook kind shares, then {@code own} (store or broker). */
    static List<String> matchbookCommand(Path bench, int port, boolean footprint, String... own) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        if (footprint) {
            cmd.addAll(heap(true));
            cmd.addAll(JVM_FLAGS);
        } else {
            cmd.addAll(MATCHBOOK_LOAD_JVM);
            cmd.addAll(COMMON_JVM_FLAGS);
            cmd.addAll(AotCache.flags());
        }
        cmd.addAll(extraJvmFlags());
        cmd.add("-Dserver.port=" + port);
        cmd.add("-Dserver.host=127.0.0.1");
        cmd.addAll(MATCHBOOK_LIMITS);
        cmd.addAll(List.of(own));
        cmd.add("-jar");
        cmd.add(bench.resolveSibling("server").resolve("target/matchbook-server.jar").toString());
        return cmd;
    }

    /** Node {@code i} of a Redis kind, with its own (unused by the Redis engine, but never shared) data dir. */
    List<String> nodeCommand(Path bench, int i, Path dataDir, int redisPort, boolean footprint) {
        List<String> own = new ArrayList<>(REDIS_NODE_FLAGS);
        own.addAll(List.of("-Dmatchbook.broker=redis", "-Dmatchbook.redis.uri=redis://127.0.0.1:" + redisPort,
                "-Dmatchbook.data-dir=" + dataDir));
        return matchbookCommand(bench, ports()[i], footprint, own.toArray(String[]::new));
    }

    /**
     * The Redis of a Redis kind: no RDB snapshots, the append-only file with this kind's fsync policy, in a fresh
     * dir, logging to stdout (the log file), in the foreground so its pid is the one to kill.
     */
    List<String> redisCommand(int redisPort, Path dir) {
        return List.of(System.getProperty("bench.redis-server", "redis-server"),
                "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", redisFsync, "--dir", dir.toString(),
                "--logfile", "", "--daemonize", "no");
    }

    /** A JVM hub of bench/ ({@code module}/target/{@code module}.jar), with the Netty hub's flags. */
    private List<String> hubCommand(Path bench, boolean footprint, String module) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(heap(footprint));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(extraJvmFlags());
        cmd.add("-Dport=" + port);
        cmd.add("-jar");
        cmd.add(bench.resolve(module + "/target/" + module + ".jar").toString());
        return cmd;
    }

    /** @param extra flags for a Matchbook kind, after its own; must be empty for the other kinds */
    List<String> command(Path bench, Path dataDir, boolean footprint, List<String> extra) {
        if (!extra.isEmpty() && this != MATCHBOOK && this != MATCHBOOK_DISK && this != MATCHBOOK_JOURNAL
                && this != MATCHBOOK_TIERED) {
            throw new IllegalArgumentException(id + " takes no extra flags: " + extra);
        }
        List<String> cmd = new ArrayList<>();
        List<String> own = new ArrayList<>();
        switch (this) {
            case MATCHBOOK -> {
                own.add("-Dmatchbook.store=memory");
                own.addAll(extra);
                cmd.addAll(matchbookCommand(bench, port, footprint, own.toArray(String[]::new)));
            }
            case MATCHBOOK_DISK -> {
                own.add("-Dmatchbook.store=disk");
                own.add("-Dmatchbook.data-dir=" + dataDir);
                own.addAll(extra);
                cmd.addAll(matchbookCommand(bench, port, footprint, own.toArray(String[]::new)));
            }
            case MATCHBOOK_JOURNAL -> {
                own.add("-Dmatchbook.store=journal");
                own.add("-Dmatchbook.data-dir=" + dataDir);
                own.addAll(extra);
                cmd.addAll(matchbookCommand(bench, port, footprint, own.toArray(String[]::new)));
            }
            case MATCHBOOK_TIERED -> {
                own.add("-Dmatchbook.store=tiered");
                own.add("-Dmatchbook.data-dir=" + dataDir);
                own.addAll(extra);
                cmd.addAll(matchbookCommand(bench, port, footprint, own.toArray(String[]::new)));
            }
            case MATCHBOOK_REDIS, MATCHBOOK_REDIS_ALWAYS ->
                    throw new IllegalStateException(id + " is several processes: see ServerProcess.start");
            case NETTY -> cmd.addAll(hubCommand(bench, footprint, "netty-hub"));
            case HELIDON -> cmd.addAll(hubCommand(bench, footprint, "helidon-hub"));
            case NIO -> cmd.addAll(hubCommand(bench, footprint, "nio-hub"));
            case SOCKETIO -> cmd.addAll(List.of("node", bench.resolve("peers/socketio-server.js").toString()));
            case WS -> cmd.addAll(List.of("node", bench.resolve("peers/ws-server.js").toString()));
        }
        return cmd;
    }
}
