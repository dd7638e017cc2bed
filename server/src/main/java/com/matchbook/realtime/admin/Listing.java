package com.matchbook.realtime.admin;

import java.util.Comparator;
import java.util.List;

/**
 * A page of connections and how many matched in all.
 *
 * @param connections newest first, at most the limit asked for
 * @param total       every matching connection, including those past the limit
 */
public record Listing(List<ConnectionInfo> connections, long total) {
    /** Newest first: the connection an operator just watched open is at the top. */
    public static final Comparator<ConnectionInfo> NEWEST_FIRST =
            Comparator.comparing(ConnectionInfo::openedAt).reversed().thenComparing(ConnectionInfo::connectionId);

    /** Several nodes' pages as one: totals added, the newest {@code limit} kept. */
    public static Listing merge(List<Listing> parts, int limit) {
        long total = parts.stream().mapToLong(Listing::total).sum();
        List<ConnectionInfo> all = parts.stream().flatMap(p -> p.connections().stream()).sorted(NEWEST_FIRST)
                .limit(limit).toList();
        return new Listing(all, total);
    }
}
