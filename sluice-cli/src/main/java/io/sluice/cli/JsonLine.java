package io.sluice.cli;

import java.util.Map;

/**
 * One flat JSON object on one line, for {@code sluice fetch --json}'s summary: the same text Jackson's
 * {@code ObjectMapper.writeValueAsString} gave for these maps (strings, numbers, booleans, null), without loading
 * jackson-databind into a download at its very end (its classes were the largest single group a fetch loaded;
 * docs/BENCHMARKS.md, "Transfers").
 */
final class JsonLine {

    private JsonLine() {}

    static String of(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder(64 + 32 * fields.size()).append('{');
        String sep = "";
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            out.append(sep);
            string(out, e.getKey()).append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Number || v instanceof Boolean) {
                out.append(v);
            } else {
                string(out, v.toString());
            }
            sep = ",";
        }
        return out.append('}').toString();
    }

    private static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
