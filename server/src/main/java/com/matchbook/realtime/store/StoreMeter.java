package com.matchbook.realtime.store;

import java.util.function.LongSupplier;

/**
 * One figure a store keeps about itself, for {@code /metrics} (README "Storage"; the list in {@code ServerMetrics}):
 * read whenever the registry is scraped, never stored by the caller.
 *
 * @param name        dotted meter name, {@code matchbook.} first; the exporter turns dots into underscores and appends
 *                    {@code _total} to counters
 * @param description one line for the {@code # HELP} text
 * @param counter     {@code true} for a count that only rises (a counter), {@code false} for a level (a gauge)
 * @param value       the figure now, in the unit its name says (bytes, seconds, entries)
 */
public record StoreMeter(String name, String description, boolean counter, LongSupplier value) {
    /** A counter: a count since start that only rises. */
    public static StoreMeter counter(String name, String description, LongSupplier value) {
        return new StoreMeter(name, description, true, value);
    }

    /** A gauge: a level now. */
    public static StoreMeter gauge(String name, String description, LongSupplier value) {
        return new StoreMeter(name, description, false, value);
    }
}
