package io.sluice.transfer.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal's JSON, written and read by hand: the same bytes Jackson's pretty printer wrote before (so journals
 * left by an earlier version resume), read strictly (an unknown, missing or duplicate field, a null where a number
 * belongs or a fraction is "corrupt", as Jackson with {@code FAIL_ON_UNKNOWN_PROPERTIES},
 * {@code FAIL_ON_NULL_FOR_PRIMITIVES} and {@code FAIL_ON_MISSING_CREATOR_PROPERTIES} refused them).
 *
 * <p>Why not Jackson: the journal was the only user of jackson-databind on the {@code sluice fetch} path, and binding
 * two records loaded ~500 classes into every download: ~3 MiB of peak RSS (the class-data-sharing archive and the
 * heap) and start-up time for a fixed eight-field document (docs/BENCHMARKS.md, "Transfers").
 */
final class JournalJson {

    private static final Set<String> JOURNAL_FIELDS =
            Set.of("version", "url", "size", "etag", "lastModified", "chunkSize", "completed", "check");
    private static final Set<String> RANGE_FIELDS = Set.of("offset", "length", "crc32c");

    private JournalJson() {}

    /** Why a document is not a journal; the caller wraps it in {@link JournalCorruptException}. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    // ---- writing: Jackson's DefaultPrettyPrinter layout

    static byte[] write(Journal j) {
        StringBuilder out = new StringBuilder(256 + 80 * j.completed().size());
        out.append("{\n");
        field(out, "  ", "version").append(j.version()).append(",\n");
        string(field(out, "  ", "url"), j.url()).append(",\n");
        field(out, "  ", "size").append(j.size()).append(",\n");
        string(field(out, "  ", "etag"), j.etag()).append(",\n");
        string(field(out, "  ", "lastModified"), j.lastModified()).append(",\n");
        field(out, "  ", "chunkSize").append(j.chunkSize()).append(",\n");
        field(out, "  ", "completed").append('[');
        if (j.completed().isEmpty()) {
            out.append(" ]");
        } else {
            String sep = " ";
            for (CompletedRange c : j.completed()) {
                out.append(sep).append("{\n");
                field(out, "    ", "offset").append(c.offset()).append(",\n");
                field(out, "    ", "length").append(c.length()).append(",\n");
                string(field(out, "    ", "crc32c"), c.crc32c()).append("\n  }");
                sep = ", ";
            }
            out.append(" ]");
        }
        out.append(",\n");
        string(field(out, "  ", "check"), j.check()).append("\n}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder out, String indent, String name) {
        return out.append(indent).append('"').append(name).append("\" : ");
    }

    private static StringBuilder string(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
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

    // ---- reading

    static Journal read(byte[] bytes) throws MalformedException {
        Parser p = new Parser(new String(bytes, StandardCharsets.UTF_8));
        Object root = p.value();
        p.end();
        Map<String, Object> o = object(root, "the journal", JOURNAL_FIELDS);
        List<CompletedRange> completed = new ArrayList<>();
        if (!(o.get("completed") instanceof List<?> list)) {
            throw new MalformedException("'completed' is not an array");
        }
        for (Object item : list) {
            Map<String, Object> r = object(item, "a completed range", RANGE_FIELDS);
            completed.add(new CompletedRange(number(r, "offset"), number(r, "length"), text(r, "crc32c")));
        }
        long version = number(o, "version");
        if (version != (int) version) {
            throw new MalformedException("'version' " + version + " is out of range");
        }
        return new Journal((int) version, text(o, "url"), number(o, "size"), text(o, "etag"), text(o, "lastModified"),
                number(o, "chunkSize"), completed, text(o, "check"));
    }

    private static Map<String, Object> object(Object value, String what, Set<String> fields) throws MalformedException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedException(what + " is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) map;
        for (String key : o.keySet()) {
            if (!fields.contains(key)) {
                throw new MalformedException("unknown field '" + key + "' in " + what);
            }
        }
        for (String field : fields) {
            if (!o.containsKey(field)) {
                throw new MalformedException("missing field '" + field + "' in " + what);
            }
        }
        return o;
    }

    private static long number(Map<String, Object> o, String field) throws MalformedException {
        if (!(o.get(field) instanceof Long n)) {
            throw new MalformedException("'" + field + "' is not an integer");
        }
        return n;
    }

    private static String text(Map<String, Object> o, String field) throws MalformedException {
        Object v = o.get(field);
        if (v != null && !(v instanceof String)) {
            throw new MalformedException("'" + field + "' is not a string");
        }
        return (String) v;
    }

    /** JSON values as Map (objects, keys unique), List, String, Long (integers only), Boolean and null. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Object value() throws MalformedException {
            skipSpace();
            if (at >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || c >= '0' && c <= '9') {
                        yield integer();
                    }
                    throw fail("unexpected '" + c + "'");
                }
            };
        }

        void end() throws MalformedException {
            skipSpace();
            if (at != s.length()) {
                throw fail("trailing content");
            }
        }

        private Map<String, Object> object() throws MalformedException {
            at++; // {
            Map<String, Object> o = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                at++;
                return o;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw fail("expected a field name");
                }
                String key = string();
                skipSpace();
                expect(':');
                if (o.containsKey(key)) {
                    throw fail("duplicate field '" + key + "'");
                }
                o.put(key, value());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return o;
                }
                if (c != ',') {
                    throw fail("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() throws MalformedException {
            at++; // [
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw fail("expected ',' or ']'");
                }
            }
        }

        private String string() throws MalformedException {
            at++; // "
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw fail("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw fail("unexpected end");
                        }
                        try {
                            b.append((char) Integer.parseInt(s, at, at + 4, 16));
                        } catch (NumberFormatException bad) {
                            throw fail("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw fail("bad escape '\\" + e + "'");
                }
            }
        }

        private Long integer() throws MalformedException {
            int start = at;
            if (peek() == '-') {
                at++;
            }
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at < s.length() && (s.charAt(at) == '.' || s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
                throw fail("not an integer");
            }
            try {
                return Long.parseLong(s, start, at, 10);
            } catch (NumberFormatException e) {
                throw fail("bad number '" + s.substring(start, at) + "'");
            }
        }

        private Object literal(String word, Object value) throws MalformedException {
            if (!s.startsWith(word, at)) {
                throw fail("unexpected '" + s.charAt(at) + "'");
            }
            at += word.length();
            return value;
        }

        private void skipSpace() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\n' || s.charAt(at) == '\r'
                    || s.charAt(at) == '\t')) {
                at++;
            }
        }

        private char peek() throws MalformedException {
            if (at >= s.length()) {
                throw fail("unexpected end");
            }
            return s.charAt(at);
        }

        private char next() throws MalformedException {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char c) throws MalformedException {
            if (next() != c) {
                throw fail("expected '" + c + "'");
            }
        }

        private MalformedException fail(String what) {
            return new MalformedException(what + " at offset " + at);
        }
    }
}
