package com.matchbook.realtime.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * One node's health and series, as the console shows it.
 *
 * @param node     node id ("local" on its own)
 * @param healthy  whether its store answers (what {@code /health} reports)
 * @param uptimeMs since it started
 * @param series   its samples, columnar ({@link SeriesJson#columns})
 */
public record NodeReport(String node, boolean healthy, long uptimeMs, JsonObject series) {

    public JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("node", node)
                .add("healthy", healthy)
                .add("uptimeMs", uptimeMs)
                .add("series", series)
                .build();
    }

    public static NodeReport fromJson(JsonObject o) {
        return new NodeReport(o.getString("node"), o.getBoolean("healthy"), o.getJsonNumber("uptimeMs").longValue(),
                              o.getJsonObject("series"));
    }
}
