package com.matchbook.realtime.admin;

import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's per-second figures: bounded memory, quantiles within their bucket, the cluster's merge. */
class SeriesTest {

    private static Sample sample(long second, long connections, double out, double p99) {
        return withTcp(second, connections, out, p99, new Sample.Tcp(0, 0, 0, 0, 0, 0));
    }

    private static Sample withTcp(long second, long connections, double out, double p99, Sample.Tcp tcp) {
        return new Sample(second, connections, connections, 0, out, out, p99 / 2, p99, Double.NaN, 0, 0, 0, 0, 0, tcp);
    }

    @Test
    void theRingKeepsTheLastFifteenMinutesAndNoMore() {
        SeriesRing ring = new SeriesRing();
        for (long s = 1; s <= SeriesRing.CAPACITY + 100; s++) {
            ring.add(sample(s, s, 0, 1));
        }
        List<Sample> all = ring.after(0);
        assertEquals(SeriesRing.CAPACITY, all.size());
        assertEquals(101, all.getFirst().second(), "the oldest 100 were overwritten");
        assertEquals(SeriesRing.CAPACITY + 100, all.getLast().second());
        assertEquals(List.of(999L, 1000L), ring.after(998).stream().map(Sample::second).toList());
    }

    @Test
    void quantilesFallInTheRightBucketAndTheWindowEmptiesEachSecond() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 1; i <= 100; i++) {
            window.record(i * 1_000_000L);   // 1..100 ms
        }
        double[] q = window.drain(0.5, 0.99);
        assertTrue(q[0] >= 50 && q[0] <= 50 * 1.25, "p50 " + q[0]);
        assertTrue(q[1] >= 99 && q[1] <= 99 * 1.25, "p99 " + q[1]);
        assertTrue(Double.isNaN(window.drain(0.5)[0]), "nothing recorded since the last drain");
        window.record(-5);
        assertEquals(0, window.drain(0.5)[0], 1e-9, "a negative latency (clock step) counts as zero");
    }

    @Test
    void theClusterAddsCountsAndShowsTheWorstNodesLatency() {
        JsonObject a = SeriesJson.columns(List.of(sample(10, 3, 5, 2), sample(11, 4, 0, Double.NaN)));
        JsonObject b = SeriesJson.columns(List.of(sample(11, 10, 7, 9)));
        JsonObject cluster = SeriesJson.merge(List.of(a, b));
        assertEquals("[10,11]", cluster.getJsonArray("t").toString());
        assertEquals("[3,14]", cluster.getJsonArray("connections").toString());
        assertEquals("[5,7]", cluster.getJsonArray("messagesOut").toString());
        assertEquals("[2,9]", cluster.getJsonArray("deliveryP99Ms").toString());
        assertEquals("[null,null]", cluster.getJsonArray("commitMs").toString());
    }

    @Test
    void tcpRefusalsAndTimeoutsAreColumnsThatAddUpAcrossNodes() {
        JsonObject a = SeriesJson.columns(List.of(withTcp(20, 1, 0, 1, new Sample.Tcp(5, 2, 1, 4, 0, 0))));
        JsonObject b = SeriesJson.columns(List.of(withTcp(20, 1, 0, 1, new Sample.Tcp(7, 1, 0, 0, 3, 1))));
        assertEquals("[2]", a.getJsonArray("tcpRefusedFull").toString());
        assertEquals("[4]", a.getJsonArray("tcpHeaderTimeouts").toString());
        JsonObject cluster = SeriesJson.merge(List.of(a, b));
        assertEquals("[12]", cluster.getJsonArray("tcpOpen").toString());
        assertEquals("[3]", cluster.getJsonArray("tcpRefusedFull").toString());
        assertEquals("[1]", cluster.getJsonArray("tcpRefusedPerAddress").toString());
        assertEquals("[4]", cluster.getJsonArray("tcpHeaderTimeouts").toString());
        assertEquals("[3]", cluster.getJsonArray("tcpIdleTimeouts").toString());
        assertEquals("[1]", cluster.getJsonArray("tcpBodyTimeouts").toString());
    }

    @Test
    void aNodeWithoutTheTcpFiguresStillMergesAndAddsNothingToThem() {
        JsonObject newer = SeriesJson.columns(List.of(withTcp(30, 2, 0, 1, new Sample.Tcp(4, 1, 0, 0, 0, 0))));
        JsonObjectBuilder older = Json.createObjectBuilder(SeriesJson.columns(List.of(sample(30, 3, 0, 1))));
        SeriesJson.SUMMED.stream().filter(name -> name.startsWith("tcp")).forEach(older::remove);
        JsonObject cluster = SeriesJson.merge(List.of(newer, older.build()));
        assertEquals("[5]", cluster.getJsonArray("connections").toString());
        assertEquals("[4]", cluster.getJsonArray("tcpOpen").toString());
        assertEquals("[1]", cluster.getJsonArray("tcpRefusedFull").toString());
    }
}
