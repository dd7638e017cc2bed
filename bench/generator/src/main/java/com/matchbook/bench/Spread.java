package com.matchbook.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One figure (or ratio) over the repetitions of a run ({@code --repeat N}): each repetition's value, null where
 * that repetition had none (the scenario broke, or the figure was undefined), with its median and range.
 *
 * @param perRun   one entry per repetition, in order
 * @param integral whether the figure is a count (its values were whole numbers in the results): shown without
 *                 decimals; ratios and measured times are shown with two
 */
record Spread(List<Double> perRun, boolean integral) {
    Spread {
        perRun = Collections.unmodifiableList(new ArrayList<>(perRun));
    }

    /** A figure that is not a count, e.g. a ratio. */
    Spread(List<Double> perRun) {
        this(perRun, false);
    }

    /** The values that exist, sorted. */
    List<Double> values() {
        List<Double> v = new ArrayList<>(perRun.stream().filter(Objects::nonNull).toList());
        Collections.sort(v);
        return v;
    }

    /** Whether every repetition has a value. */
    boolean complete() {
        return !perRun.isEmpty() && perRun.stream().allMatch(Objects::nonNull);
    }

    /** The median of the values that exist (the mean of the middle two for an even count), or null. */
    Double median() {
        List<Double> v = values();
        if (v.isEmpty()) {
            return null;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    Double min() {
        List<Double> v = values();
        return v.isEmpty() ? null : v.get(0);
    }

    Double max() {
        List<Double> v = values();
        return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** For the JSON: median, min, max and every repetition's value (rounded to 4 significant places). */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median()));
        m.put("min", round(min()));
        m.put("max", round(max()));
        m.put("per_run", perRun.stream().map(Spread::round).toList());
        return m;
    }

    /** "median (min-max)", or the one value when there is one repetition (or they are all equal); "n/a" for none. */
    String text() {
        Double median = median();
        if (median == null) {
            return "n/a";
        }
        String s = format(median);
        if (perRun.size() > 1) {
            String range = format(min()).equals(format(max())) ? "" : format(min()) + "-" + format(max());
            int missing = perRun.size() - values().size();
            String gaps = missing == 0 ? "" : (range.isEmpty() ? "" : ", ") + "n/a in " + missing + " of "
                    + perRun.size();
            if (!range.isEmpty() || !gaps.isEmpty()) {
                s += " (" + range + gaps + ")";
            }
        }
        return s;
    }

    private String format(double x) {
        if (!integral) {
            return String.format("%.2f", x);
        }
        // The median of an even number of counts may fall between two.
        return x == Math.rint(x) ? Long.toString((long) x) : String.format("%.1f", x);
    }

    /** Whole numbers from 10 up without decimals, the rest with two. */
    static String fmt(Double x) {
        if (x == null) {
            return "n/a";
        }
        return x == Math.rint(x) && Math.abs(x) >= 10 ? Long.toString(x.longValue()) : String.format("%.2f", x);
    }

    private static Double round(Double x) {
        if (x == null || !Double.isFinite(x) || x == 0) {
            return x;
        }
        double scale = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(x))));
        return scale > 1 ? Math.round(x * scale) / scale : x;
    }
}
