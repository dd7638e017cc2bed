package com.matchbook.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes the results document: maps, lists, strings, numbers, booleans, null (a NaN or infinity becomes null). */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, "");
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object v, String indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Map<?, ?> map) {
            writeEntries(out, map.entrySet().iterator(), indent, '{', '}', true);
        } else if (v instanceof List<?> list) {
            writeEntries(out, list.iterator(), indent, '[', ']', false);
        } else if (v instanceof Double d && !Double.isFinite(d)) {
            out.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else {
            string(out, v.toString());
        }
    }

    private static void writeEntries(StringBuilder out, Iterator<?> it, String indent, char open, char close,
                                     boolean keyed) {
        out.append(open);
        if (!it.hasNext()) {
            out.append(close);
            return;
        }
        String inner = indent + "  ";
        while (it.hasNext()) {
            Object item = it.next();
            out.append('\n').append(inner);
            if (keyed) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
                string(out, e.getKey().toString());
                out.append(": ");
                write(out, e.getValue(), inner);
            } else {
                write(out, item, inner);
            }
            if (it.hasNext()) {
                out.append(',');
            }
        }
        out.append('\n').append(indent).append(close);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
