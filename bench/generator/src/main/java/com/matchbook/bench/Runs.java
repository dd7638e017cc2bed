package com.matchbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of a run with {@code --repeat N}: every scenario against every server, N times. Each result carries
 * its {@code repetition} (1..N); a repetition is one whole pass over the servers and scenarios, so ratios between
 * servers are taken within one repetition (the same minutes of the same machine) before their median is.
 */
final class Runs {
    final int repeat;
    private final List<Map<String, Object>> results;

    Runs(List<Map<String, Object>> results, int repeat) {
        this.results = results;
        this.repeat = repeat;
    }

    static int repetitionOf(Map<String, Object> result) {
        return result.get("repetition") instanceof Number n ? n.intValue() : 1;
    }

    /** The result of one repetition, or null when it did not run. */
    Map<String, Object> result(int repetition, String scenario, String server) {
        for (Map<String, Object> r : results) {
            if (scenario.equals(r.get("scenario")) && server.equals(r.get("server")) && repetitionOf(r) == repetition) {
                return r;
            }
        }
        return null;
    }

    /** Every repetition's result of this pair, in order (null where one is missing). */
    List<Map<String, Object>> all(String scenario, String server) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int rep = 1; rep <= repeat; rep++) {
            all.add(result(rep, scenario, server));
        }
        return all;
    }

    /** Servers that ran (or skipped) this scenario, in the order they first appear. */
    List<String> servers(String scenario) {
        Set<String> s = new LinkedHashSet<>();
        for (Map<String, Object> r : results) {
            if (scenario.equals(r.get("scenario"))) {
                s.add(String.valueOf(r.get("server")));
            }
        }
        return new ArrayList<>(s);
    }

    /** Whether the pair ran (was not skipped) in some repetition. */
    boolean ran(String scenario, String server) {
        return results.stream().anyMatch(r -> scenario.equals(r.get("scenario")) && server.equals(r.get("server"))
                && !r.containsKey("skipped"));
    }

    /** A number, or a boolean as 1/0; null for anything else and for a broken result. */
    static Double number(Map<String, Object> r, String key) {
        if (r == null || r.containsKey("error")) {
            return null;
        }
        Object v = r.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    /** One figure of one server over the repetitions. */
    Spread figure(String scenario, String server, String key) {
        List<Double> values = new ArrayList<>();
        boolean integral = true;
        for (Map<String, Object> r : all(scenario, server)) {
            Double v = number(r, key);
            values.add(v);
            if (v != null && !(r.get(key) instanceof Long || r.get(key) instanceof Integer
                    || r.get(key) instanceof Boolean)) {
                integral = false;
            }
        }
        return new Spread(values, integral);
    }

    /** {@code a}'s figure over {@code b}'s, taken within each repetition. */
    Spread ratio(String scenario, String key, String a, String b) {
        List<Double> values = new ArrayList<>();
        for (int rep = 1; rep <= repeat; rep++) {
            Double x = number(result(rep, scenario, a), key);
            Double y = number(result(rep, scenario, b), key);
            values.add(x != null && y != null && y != 0 ? x / y : null);
        }
        return new Spread(values);
    }

    /** How many repetitions of the pair broke. */
    long broken(String scenario, String server) {
        return all(scenario, server).stream().filter(r -> r != null && r.containsKey("error")).count();
    }

    /**
     * One row standing for all repetitions of a pair: the median repetition's result (the one whose {@code main}
     * figure is the median; for an even count the lower middle) with every numeric top-level figure replaced by
     * its median, and a boolean by the majority. Texts and lists (stopped_by, steps) are the median repetition's.
     * Null when the pair never ran.
     */
    Map<String, Object> medianRow(String scenario, String server, String main) {
        List<Map<String, Object>> ok = all(scenario, server).stream()
                .filter(r -> r != null && !r.containsKey("error")).toList();
        if (ok.isEmpty()) {
            return all(scenario, server).stream().filter(r -> r != null).findFirst().orElse(null);
        }
        List<Map<String, Object>> sorted = new ArrayList<>(ok);
        sorted.sort((x, y) -> {
            Double a = number(x, main);
            Double b = number(y, main);
            return a == null ? (b == null ? 0 : 1) : b == null ? -1 : Double.compare(a, b);
        });
        Map<String, Object> row = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
        if (repeat > 1) {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                if (e.getValue() instanceof Number || e.getValue() instanceof Boolean) {
                    Double m = figure(scenario, server, e.getKey()).median();
                    if (e.getValue() instanceof Boolean) {
                        e.setValue(m != null && m > 0.5);
                    } else if (m != null) {
                        e.setValue(m == Math.rint(m) && Math.abs(m) < 1e15 ? (Object) m.longValue() : m);
                    }
                }
            }
        }
        return row;
    }

    /**
     * For the JSON: per scenario and server, the median, min and max of every numeric top-level figure over the
     * repetitions, and how many broke.
     */
    List<Map<String, Object>> summary() {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> scenarios = new LinkedHashSet<>();
        results.forEach(r -> scenarios.add(String.valueOf(r.get("scenario"))));
        for (String scenario : scenarios) {
            for (String server : servers(scenario)) {
                if (!ran(scenario, server)) {
                    continue;
                }
                Set<String> keys = new LinkedHashSet<>();
                for (Map<String, Object> r : all(scenario, server)) {
                    if (r != null && !r.containsKey("error")) {
                        r.forEach((k, v) -> {
                            if (v instanceof Number && !k.equals("repetition")) {
                                keys.add(k);
                            }
                        });
                    }
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                for (String k : keys) {
                    figures.put(k, figure(scenario, server, k).json());
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("scenario", scenario);
                s.put("server", server);
                s.put("runs", repeat);
                s.put("broken", broken(scenario, server));
                s.put("figures", figures);
                out.add(s);
            }
        }
        return out;
    }
}
