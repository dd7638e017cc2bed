package com.matchbook.realtime.admin;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Ending;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.protocol.CloseCodes;

/** The console's actions on this node's hub; on its own it is the whole cluster, with Redis one answer of several. */
public final class LocalOperator implements Operator {
    static final String REASON = "closed by an operator";

    private final String node;
    private final Hub hub;
    private final SeriesRing ring;
    private final BooleanSupplier healthy;
    private final LongSupplier uptimeMs;

    public LocalOperator(String node, Hub hub, SeriesRing ring, BooleanSupplier healthy, LongSupplier uptimeMs) {
        this.node = node;
        this.hub = hub;
        this.ring = ring;
        this.healthy = healthy;
        this.uptimeMs = uptimeMs;
    }

    @Override
    public Listing connections(Optional<String> user, int limit) {
        Collection<Connection> all = user.<Collection<Connection>>map(hub::connectionsOfUser).orElseGet(hub::connections);
        List<ConnectionInfo> page = all.stream().map(c -> ConnectionInfo.of(c, node)).sorted(Listing.NEWEST_FIRST)
                .limit(limit).toList();
        return new Listing(page, all.size());
    }

    @Override
    public boolean disconnect(String connectionId) {
        Optional<Connection> c = hub.find(connectionId);
        c.ifPresent(this::close);
        return c.isPresent();
    }

    @Override
    public int disconnectUser(String userId) {
        List<Connection> conns = hub.connectionsOfUser(userId);
        conns.forEach(this::close);
        return conns.size();
    }

    @Override
    public List<NodeReport> nodes(long afterSecond) {
        return List.of(report(afterSecond));
    }

    public NodeReport report(long afterSecond) {
        return new NodeReport(node, healthy.getAsBoolean(), uptimeMs.getAsLong(),
                              SeriesJson.columns(ring.after(afterSecond)));
    }

    private void close(Connection c) {
        // What is queued still goes out: it is in history anyway, and the close frame then says why it ended.
        hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.CLOSED_BY_OPERATOR, REASON);
    }
}
