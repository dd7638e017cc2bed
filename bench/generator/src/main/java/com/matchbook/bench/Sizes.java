package com.matchbook.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big and how long each scenario runs: {@code quick} fits all five servers in under 10 minutes, {@code full}
 * has the bigger sizes, and {@code smoke} only checks that the harness works end to end (tiny loads, short
 * phases, matchbook and ws by default; its figures mean nothing).
 *
 * @param idleSteps    connection counts below {@code idleConnections} at which {@code idle} also reads the
 *                     server's RSS on its way up (the RSS-against-connections curve); may be empty
 * @param compressionConnections {@code compression}: sockets per variant (each sends one message, then idles: the
 *                     memory per connection)
 * @param compressionUsers how many of those send in its measured phase
 * @param compressionRate  at what fixed rate, msg/s
 * @param compressionPhase for how long (after a warm-up of {@code warmup} at the same rate)
 * @param quietWait    how long to wait before each scenario for cores 0-1 to be quiet (bench.quiet-wait-s overrides)
 * @param defaultServers the servers of a run without {@code --servers}
 */
record Sizes(String name,
             int idleConnections, int[] idleSteps, Duration idleHold,
             int p2pUsers, Duration warmup, Duration fixedPhase, Duration step, int fixedRate, int[] rates,
             int broadcastStep, int broadcastMax, int broadcastSamples,
             int stormClients, int stormPostRate, Duration stormDown,
             int slowUsers, Duration slowPhase,
             int compressionConnections, int compressionUsers, int compressionRate, Duration compressionPhase,
             Duration quietWait, List<String> defaultServers) {

    /** p2p offered rates, stepped up until one fails. */
    private static final int[] RATES = {10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000, 60_000, 70_000,
        80_000, 100_000, 120_000};

    /**
     * The servers of a quick or full run without {@code --servers}. The Redis kinds ({@code matchbook-redis},
     * {@code matchbook-redis-always}) are left out: with them the quick run would no longer fit in 10 minutes, and so
     * are the stores that are not the default ({@code matchbook-disk}, SQLite alone, and {@code matchbook-journal}):
     * {@code matchbook-tiered} is the default embedded store since 2026-12-01.
     */
    static final List<String> SERVERS = List.of("matchbook", "matchbook-tiered", "socketio", "ws", "netty");

    /** The sizes of a run; {@code bench.warmup-s} replaces the warm-up, for a check of what the warm-up hides. */
    static Sizes of(String name) {
        Sizes sizes = named(name);
        Long warmupS = Long.getLong("bench.warmup-s");
        if (warmupS == null) {
            return sizes;
        }
        return new Sizes(sizes.name, sizes.idleConnections, sizes.idleSteps, sizes.idleHold, sizes.p2pUsers,
                         Duration.ofSeconds(warmupS), sizes.fixedPhase, sizes.step, sizes.fixedRate, sizes.rates,
                         sizes.broadcastStep, sizes.broadcastMax, sizes.broadcastSamples, sizes.stormClients,
                         sizes.stormPostRate, sizes.stormDown, sizes.slowUsers, sizes.slowPhase,
                         sizes.compressionConnections, sizes.compressionUsers, sizes.compressionRate,
                         sizes.compressionPhase, sizes.quietWait, sizes.defaultServers);
    }

    private static Sizes named(String name) {
        return switch (name) {
            case "quick" -> new Sizes("quick", 2_000, new int[] {500, 1_000, 1_500}, Duration.ofSeconds(15),
                    1_000, Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(3), 5_000, RATES,
                    500, 15_000, 20,
                    1_000, 200, Duration.ofSeconds(1),
                    1_000, Duration.ofSeconds(6),
                    1_000, 200, 1_000, Duration.ofSeconds(8),
                    Duration.ofSeconds(30), SERVERS);
            case "full" -> new Sizes("full", 10_000, new int[] {1_000, 2_500, 5_000, 7_500}, Duration.ofSeconds(60),
                    5_000, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10), 5_000, RATES,
                    1_000, 18_000, 40,
                    5_000, 500, Duration.ofSeconds(2),
                    5_000, Duration.ofSeconds(60),
                    5_000, 1_000, 5_000, Duration.ofSeconds(20),
                    Duration.ofSeconds(30), SERVERS);
            // Every scenario's code path with the least load that still exercises it: two p2p steps, two
            // broadcast steps, one stopped client in slow, a restart in storm. No waiting for a quiet machine.
            case "smoke" -> new Sizes("smoke", 300, new int[] {100, 200}, Duration.ofSeconds(2),
                    100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1_000,
                    new int[] {2_000, 4_000},
                    100, 200, 5,
                    100, 50, Duration.ofSeconds(1),
                    100, Duration.ofSeconds(2),
                    200, 50, 500, Duration.ofSeconds(2),
                    Duration.ZERO, List.of("matchbook", "ws"));
            default -> throw new IllegalArgumentException("size must be quick, full or smoke, not " + name);
        };
    }
}
