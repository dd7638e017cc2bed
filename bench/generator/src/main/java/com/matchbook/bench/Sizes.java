package com.matchbook.bench;

import java.time.Duration;

/** How big and how long each scenario runs: {@code quick} fits all five servers in under 10 minutes. */
record Sizes(String name,
             int idleConnections, Duration idleHold,
             int p2pUsers, Duration warmup, Duration fixedPhase, Duration step, int fixedRate, int[] rates,
             int broadcastStep, int broadcastMax, int broadcastSamples,
             int stormClients, int stormPostRate, Duration stormDown, Duration stormDeadline,
             int slowUsers, Duration slowPhase) {

    /** p2p offered rates, stepped up until one fails. */
    private static final int[] RATES = {10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000, 60_000, 70_000,
        80_000, 100_000, 120_000};

    static Sizes of(String name) {
        return switch (name) {
            case "quick" -> new Sizes("quick", 2_000, Duration.ofSeconds(15),
                    1_000, Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(3), 5_000, RATES,
                    500, 15_000, 20,
                    1_000, 200, Duration.ofSeconds(1), Duration.ofSeconds(5),
                    1_000, Duration.ofSeconds(6));
            case "full" -> new Sizes("full", 10_000, Duration.ofSeconds(60),
                    5_000, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10), 5_000, RATES,
                    1_000, 18_000, 40,
                    5_000, 500, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    5_000, Duration.ofSeconds(60));
            default -> throw new IllegalArgumentException("size must be quick or full, not " + name);
        };
    }
}
