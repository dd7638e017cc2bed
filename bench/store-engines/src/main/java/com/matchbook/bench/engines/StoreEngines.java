package com.matchbook.bench.engines;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/**
 * The disk store's writes on SQLite (today's store), RocksDB and H2's MVStore, side by side: what issue 14 asks
 * before an engine is chosen. One thread commits batches of messages (each message two {@link Entry entries}, as
 * the server's group commit writes them) and waits for each to be durable; run it under {@code taskset -c 0} so
 * every engine, its background threads included, has the one core a benchmark server has.
 *
 * <p>Per engine and batch size: a fresh directory, {@code --warmup} seconds of writes (JIT, and a store that is not
 * empty), then {@code --seconds} of measured writes, then {@link Engine#settle()} so deferred work (checkpoints,
 * compaction) is counted. Reported: messages per second over the measured writes plus the settle, CPU
 * microseconds per message (the whole process, from {@code OperatingSystemMXBean.getProcessCpuTime}), commit
 * latency percentiles, and the bytes on disk. Every user's stream is read back and counted at the end.
 *
 * <p>Usage: {@code java -jar store-engines.jar --dir DIR [--engines sqlite,sqlite-counted,rocksdb,mvstore] [--batches 1,32,256]
 * [--users 1000] [--warmup 5] [--seconds 15]}
 */
public final class StoreEngines {
    private StoreEngines() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        List<String> engines = List.of("sqlite", "rocksdb", "mvstore");
        List<Integer> batches = List.of(1, 32, 256);
        int users = 1000;
        int warmup = 5;
        int seconds = 15;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value);
                case "--engines" -> engines = List.of(value.split(","));
                case "--batches" -> batches = Stream.of(value.split(",")).map(Integer::valueOf).toList();
                case "--users" -> users = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        System.out.println("| engine | batch (messages) | messages/s | CPU µs/message | commit p50 ms | commit p99 ms "
                                   + "| MB on disk | messages |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String name : engines) {
            for (int batch : batches) {
                Path where = dir.resolve(name + "-" + batch);
                deleteTree(where);
                Files.createDirectories(where);
                try (Engine engine = engine(name)) {
                    engine.open(where);
                    Result r = run(engine, batch, users, warmup, seconds);
                    System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.1f | %.2f | %.2f | %.1f | %,d |%n", name, batch,
                                      r.perSecond, r.cpuMicrosPerMessage, r.commits.getValueAtPercentile(50) / 1000.0,
                                      r.commits.getValueAtPercentile(99) / 1000.0, size(where) / 1e6, r.messages);
                }
                deleteTree(where);
            }
        }
    }

    private record Result(double perSecond, double cpuMicrosPerMessage, Histogram commits, long messages) {
    }

    private static Result run(Engine engine, int batch, int users, int warmup, int seconds) throws Exception {
        Workload work = new Workload(users, new Random(42));
        long end = System.nanoTime() + warmup * 1_000_000_000L;
        while (System.nanoTime() < end) {
            engine.commit(work.next(batch));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Histogram commits = new Histogram(3);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long measured = 0;
        end = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            List<Entry> entries = work.next(batch);
            long c0 = System.nanoTime();
            engine.commit(entries);
            commits.recordValue((System.nanoTime() - c0) / 1000);
            measured += batch;
        }
        engine.settle();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e3;
        work.check(engine);
        return new Result(measured / wall, cpu / measured, commits, work.messages());
    }

    private static Engine engine(String name) {
        return switch (name) {
            case "sqlite" -> new SqliteEngine(true);
            case "sqlite-counted" -> new SqliteEngine(false);
            case "rocksdb" -> new RocksEngine();
            case "mvstore" -> new MvStoreEngine();
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The benchmark's p2p traffic: a random sender to a random other user, 100 bytes of text, numbered in memory. */
    private static final class Workload {
        private final int users;
        private final Random random;
        private final long[] lastSeq;
        private long messages;

        Workload(int users, Random random) {
            this.users = users;
            this.random = random;
            this.lastSeq = new long[users];
        }

        List<Entry> next(int count) {
            List<Entry> out = new ArrayList<>(2 * count);
            for (int i = 0; i < count; i++) {
                int from = random.nextInt(users);
                int to = (from + 1 + random.nextInt(users - 1)) % users;
                String id = String.format(Locale.ROOT, "%013X%013X", System.currentTimeMillis(), random.nextLong()
                        & 0xFFFFFFFFFFFFFL);
                long sentAt = System.currentTimeMillis() * 1_000_000L;
                String text = "@" + id + "@" + sentAt + "@" + "x".repeat(100 - 3 - id.length() - 19);
                out.add(new Entry(user(to), ++lastSeq[to], id, user(from), user(from), text, sentAt, 1));
                out.add(new Entry(user(from), ++lastSeq[from], id, user(from), user(to), text, sentAt, 0));
                messages++;
            }
            return out;
        }

        long messages() {
            return messages;
        }

        /** Every user's stream holds exactly what was numbered for it. */
        void check(Engine engine) throws Exception {
            for (int u = 0; u < users; u++) {
                long n = engine.entries(user(u));
                if (n != lastSeq[u]) {
                    throw new IllegalStateException(engine.name() + ": " + user(u) + " holds " + n + " entries, "
                                                            + lastSeq[u] + " were written");
                }
            }
        }

        private static String user(int i) {
            return "user-" + i;
        }
    }
}
