package com.matchbook.realtime.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Series as JSON columns, the shape a chart library takes directly: {@code {"t": [epoch seconds], "<figure>":
 * [values]}}, one array per figure of {@link Sample}, {@code null} where nothing was measured.
 *
 * <p>The cluster's series ({@link #merge}) is computed per epoch second over the nodes that sampled it: counts and
 * rates are summed, latencies are the worst node's (percentiles of different nodes cannot be merged without their
 * histograms; the worst node is what an operator needs to see), the SSE share is recomputed from the sums.
 */
public final class SeriesJson {
    /** Figures that add up across nodes. */
    static final List<String> SUMMED = List.of("connections", "users", "sse", "messagesIn", "messagesOut",
                                               "slowConsumers", "refusedAdmission", "rateLimited", "refusedOrigin",
                                               "refusedToken", "tcpOpen", "tcpRefusedFull", "tcpRefusedPerAddress",
                                               "tcpHeaderTimeouts", "tcpIdleTimeouts", "tcpBodyTimeouts");
    /** Figures where the cluster shows its worst node. */
    static final List<String> WORST = List.of("deliveryP50Ms", "deliveryP99Ms", "commitMs");
    private static final Map<String, ToDoubleFunction<Sample>> FIGURES = figures();

    private SeriesJson() {
    }

    public static JsonObject columns(List<Sample> samples) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        JsonArrayBuilder t = Json.createArrayBuilder();
        samples.forEach(s -> t.add(s.second()));
        out.add("t", t);
        FIGURES.forEach((name, f) -> {
            JsonArrayBuilder a = Json.createArrayBuilder();
            samples.forEach(s -> add(a, f.applyAsDouble(s)));
            out.add(name, a);
        });
        return out.build();
    }

    /** The cluster's series from each node's columns (see the class comment for how each figure combines). */
    public static JsonObject merge(List<JsonObject> nodes) {
        TreeMap<Long, double[]> bySecond = new TreeMap<>();
        List<String> names = new ArrayList<>(SUMMED);
        names.addAll(WORST);
        for (JsonObject series : nodes) {
            JsonArray t = series.getJsonArray("t");
            for (int i = 0; i < t.size(); i++) {
                double[] row = bySecond.computeIfAbsent(t.getJsonNumber(i).longValue(), k -> {
                    double[] r = new double[names.size()];
                    Arrays.fill(r, SUMMED.size(), r.length, Double.NaN);
                    return r;
                });
                for (int f = 0; f < names.size(); f++) {
                    JsonArray column = series.getJsonArray(names.get(f));
                    // A node on an older version has no such figure: it adds nothing rather than failing the view.
                    JsonValue v = column == null || i >= column.size() ? JsonValue.NULL : column.get(i);
                    if (v.getValueType() != JsonValue.ValueType.NUMBER) {
                        continue;
                    }
                    double d = ((JsonNumber) v).doubleValue();
                    row[f] = f < SUMMED.size() ? row[f] + d : (Double.isNaN(row[f]) ? d : Math.max(row[f], d));
                }
            }
        }
        JsonObjectBuilder out = Json.createObjectBuilder();
        JsonArrayBuilder t = Json.createArrayBuilder();
        bySecond.keySet().forEach(t::add);
        out.add("t", t);
        for (int f = 0; f < names.size(); f++) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            for (double[] row : bySecond.values()) {
                add(a, row[f]);
            }
            out.add(names.get(f), a);
        }
        int conns = names.indexOf("connections");
        int sse = names.indexOf("sse");
        JsonArrayBuilder share = Json.createArrayBuilder();
        for (double[] row : bySecond.values()) {
            add(share, row[conns] == 0 ? 0 : 100.0 * row[sse] / row[conns]);
        }
        out.add("sseSharePercent", share);
        return out.build();
    }

    private static void add(JsonArrayBuilder a, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            a.addNull();
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            a.add((long) d);
        } else {
            a.add(Math.round(d * 1000) / 1000.0);
        }
    }

    private static Map<String, ToDoubleFunction<Sample>> figures() {
        Map<String, ToDoubleFunction<Sample>> m = new LinkedHashMap<>();
        m.put("connections", Sample::connections);
        m.put("users", Sample::users);
        m.put("sse", Sample::sse);
        m.put("sseSharePercent", Sample::sseSharePercent);
        m.put("messagesIn", Sample::messagesIn);
        m.put("messagesOut", Sample::messagesOut);
        m.put("deliveryP50Ms", Sample::deliveryP50Ms);
        m.put("deliveryP99Ms", Sample::deliveryP99Ms);
        m.put("commitMs", Sample::commitMs);
        m.put("slowConsumers", Sample::slowConsumers);
        m.put("refusedAdmission", Sample::refusedAdmission);
        m.put("rateLimited", Sample::rateLimited);
        m.put("refusedOrigin", Sample::refusedOrigin);
        m.put("refusedToken", Sample::refusedToken);
        m.put("tcpOpen", s -> s.tcp().open());
        m.put("tcpRefusedFull", s -> s.tcp().refusedFull());
        m.put("tcpRefusedPerAddress", s -> s.tcp().refusedPerAddress());
        m.put("tcpHeaderTimeouts", s -> s.tcp().headerTimeouts());
        m.put("tcpIdleTimeouts", s -> s.tcp().idleTimeouts());
        m.put("tcpBodyTimeouts", s -> s.tcp().bodyTimeouts());
        return Collections.unmodifiableMap(m);   // keeps the order above
    }
}
