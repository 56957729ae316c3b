package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A position in the YAML tree that knows its own path, so every check can say where it failed.
 *
 * <p>Each reader returns the default when the key is absent, and also when the value is bad: the error is
 * recorded and binding goes on, so one run reports every mistake. An explicit YAML {@code null} (a key with
 * nothing after the colon) counts as absent.
 */
final class Node {

    /** The path shown for the document itself; root-level keys then have no leading dot. */
    static final String ROOT = "<root>";

    private final JsonNode json;
    private final String path;
    private final Problems problems;

    private Node(JsonNode json, String path, Problems problems) {
        this.json = json == null || json.isMissingNode() || json.isNull() ? null : json;
        this.path = path;
        this.problems = problems;
    }

    static Node root(JsonNode json, Problems problems) {
        return new Node(json, "", problems);
    }

    String path() {
        return path.isEmpty() ? ROOT : path;
    }

    boolean present() {
        return json != null;
    }

    /** True once an error has been recorded here; cross-field checks then stay quiet. */
    boolean failed() {
        return problems.hasAt(path());
    }

    void error(String message) {
        problems.add(path(), message);
    }

    /** The child at {@code key}; absent when this node is absent or not a mapping. */
    Node get(String key) {
        JsonNode child = json != null && json.isObject() ? json.get(key) : null;
        return new Node(child, path.isEmpty() ? key : path + "." + key, problems);
    }

    /**
     * Checks that this is a mapping whose keys are all in {@code allowed}, reporting each unknown key with
     * the nearest allowed one. A non-mapping is reported and then read as empty, so its section takes defaults.
     */
    Node mapping(List<String> allowed) {
        if (json == null) {
            return this;
        }
        if (!json.isObject()) {
            error("must be a mapping, got " + describe(json));
            return new Node(null, path, problems);
        }
        for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                String hint = DidYouMean.nearest(key, allowed).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
                get(key).error("unknown key" + hint);
            }
        }
        return this;
    }

    /** The elements of a list, each with its {@code [i]} path; empty when absent or not a list. */
    List<Node> elements() {
        if (json == null) {
            return List.of();
        }
        if (!json.isArray()) {
            error("must be a list, got " + describe(json));
            return List.of();
        }
        List<Node> out = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            out.add(new Node(json.get(i), path + "[" + i + "]", problems));
        }
        return out;
    }

    /** Records {@code required} when absent; callers skip reading the value if this is false. */
    boolean required() {
        if (json == null) {
            error("required");
            return false;
        }
        return true;
    }

    int integer(int fallback, int min, int max) {
        if (json == null) {
            return fallback;
        }
        if (!json.isIntegralNumber()) {
            error("must be an integer, got " + describe(json));
            return fallback;
        }
        if (!json.canConvertToLong() || json.longValue() < min || json.longValue() > max) {
            error("must be " + min + ".." + max + ", got " + json.asText());
            return fallback;
        }
        return json.intValue();
    }

    /** An integer in {@code min..max}, or the keyword {@code word} standing for {@code wordValue}. */
    int integerOr(String word, int wordValue, int fallback, int min, int max) {
        if (json == null) {
            return fallback;
        }
        if (json.isTextual() && json.textValue().equals(word)) {
            return wordValue;
        }
        if (json.isIntegralNumber() && json.canConvertToLong() && json.longValue() >= min && json.longValue() <= max) {
            return json.intValue();
        }
        error("must be " + word + " or " + min + ".." + max + ", got "
                + (json.isIntegralNumber() ? json.asText() : describe(json)));
        return fallback;
    }

    boolean bool(boolean fallback) {
        if (json == null) {
            return fallback;
        }
        if (!json.isBoolean()) {
            error("must be true or false, got " + describe(json));
            return fallback;
        }
        return json.booleanValue();
    }

    /**
     * A non-empty string. Numbers are taken as their text, so {@code name: 2024} works; booleans are not,
     * because {@code host: yes} turning into "true" would only confuse.
     */
    String string(String fallback) {
        if (json == null) {
            return fallback;
        }
        if (!json.isTextual() && !json.isNumber()) {
            error("must be a string, got " + describe(json));
            return fallback;
        }
        if (json.asText().isBlank()) {
            error("must be a non-empty string, got " + describe(json));
            return fallback;
        }
        return json.asText();
    }

    Optional<String> optionalString() {
        return Optional.ofNullable(string(null));
    }

    /** One of {@code allowed}, matched exactly; the error lists them in the given order. */
    String oneOf(String fallback, List<String> allowed) {
        if (json == null) {
            return fallback;
        }
        if (!json.isTextual() || !allowed.contains(json.textValue())) {
            error("must be one of " + String.join(", ", allowed) + ", got " + describe(json));
            return fallback;
        }
        return json.textValue();
    }

    /** A duration in {@code min..max}, both written as in the file, e.g. {@code "1ms", "10m"}. */
    Duration duration(Duration fallback, String min, String max) {
        if (json == null) {
            return fallback;
        }
        Optional<Duration> value = json.isIntegralNumber() || json.isTextual()
                ? Units.parseDuration(json.asText())
                : Optional.empty();
        if (value.isEmpty()) {
            error("must be a duration such as " + Units.DURATION_FORMS + ", got " + describe(json));
            return fallback;
        }
        Duration d = value.get();
        Duration lo = Units.parseDuration(min).orElseThrow();
        Duration hi = Units.parseDuration(max).orElseThrow();
        if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
            error("must be " + min + ".." + max + ", got " + raw());
            return fallback;
        }
        return d;
    }

    /** A size in bytes in {@code min..max}, both written as in the file, e.g. {@code "256B", "16MiB"}. */
    int size(int fallback, String min, String max) {
        if (json == null) {
            return fallback;
        }
        OptionalLong value = json.isIntegralNumber() || json.isTextual()
                ? Units.parseSize(json.asText())
                : OptionalLong.empty();
        if (value.isEmpty()) {
            error("must be a size such as " + Units.SIZE_FORMS + ", got " + describe(json));
            return fallback;
        }
        long bytes = value.getAsLong();
        if (bytes < Units.parseSize(min).orElseThrow() || bytes > Units.parseSize(max).orElseThrow()) {
            error("must be " + min + ".." + max + ", got " + raw());
            return fallback;
        }
        return Math.toIntExact(bytes);
    }

    /** True for the empty string {@code ""}, which some keys read as "not set" (seed 001 writes {@code host: ""}). */
    /** True when the value is a YAML boolean, e.g. {@code off} or {@code true} (YAML 1.1 reads both so). */
    boolean isBoolean() {
        return json != null && json.isBoolean();
    }

    boolean isEmptyText() {
        return json != null && json.isTextual() && json.textValue().isEmpty();
    }

    /**
     * A list's elements, or this node alone when it holds one value: for keys written either as
     * {@code 200} or as {@code [200, 204]}. Empty when absent.
     */
    List<Node> oneOrMany() {
        if (json == null) {
            return List.of();
        }
        return json.isArray() ? elements() : List.of(this);
    }

    /** The value as an error shows it, for checks made on text read elsewhere ({@code got "abc"}). */
    String shown() {
        return json == null ? "nothing" : describe(json);
    }

    /**
     * A bandwidth in bits per second: {@code 0} (unlimited) or {@code min..max}, both written as in the
     * file, e.g. {@code "1kbps", "1Tbps"}.
     */
    long bitsPerSecond(long fallback, String min, String max) {
        if (json == null) {
            return fallback;
        }
        OptionalLong value = json.isIntegralNumber() || json.isTextual()
                ? Units.parseBitsPerSecond(json.asText())
                : OptionalLong.empty();
        if (value.isEmpty()) {
            error("must be a bandwidth such as " + Units.BANDWIDTH_FORMS + ", got " + describe(json));
            return fallback;
        }
        long bps = value.getAsLong();
        if (bps != 0 && (bps < Units.parseBitsPerSecond(min).orElseThrow()
                || bps > Units.parseBitsPerSecond(max).orElseThrow())) {
            error("must be 0 (unlimited) or " + min + ".." + max + ", got " + raw());
            return fallback;
        }
        return bps;
    }

    /** The value as written, unquoted: for values of the right kind but the wrong amount ({@code got 0s}). */
    String raw() {
        return json == null ? "nothing" : json.asText();
    }

    /**
     * The value as the error shows it: strings quoted, so a wrong type ({@code got "lots"}) reads differently
     * from a wrong amount ({@code got 0}); collections by kind, since echoing them whole is unreadable.
     */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isBinary()) {
            return "binary data";
        }
        return value.asText();
    }

    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
