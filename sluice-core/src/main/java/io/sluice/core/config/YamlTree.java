package io.sluice.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** YAML text to a Jackson tree, turning syntax errors into a {@link ConfigError} at the nearest path. */
final class YamlTree {

    /**
     * Duplicate keys are rejected: YAML would keep the last one silently, and a key written twice in a
     * config file is nearly always a merge mistake.
     */
    private static final YAMLMapper MAPPER =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** SnakeYAML's position lines: {@code  in 'reader', line 3, column 4:}. */
    private static final Pattern MARK = Pattern.compile("\\s*in '[^']*', (line \\d+, column \\d+):?\\s*");

    private YamlTree() {}

    /** The tree, or {@code null} after recording the syntax error; blank text is an empty document. */
    static JsonNode read(String yaml, Problems problems) {
        if (yaml.isBlank()) {
            return MissingNode.getInstance();
        }
        try (JsonParser parser = MAPPER.createParser(yaml)) {
            JsonNode tree = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                // A second "---" document would otherwise be dropped without a word.
                problems.add(Node.ROOT, "invalid YAML: more than one document (---); a configuration file holds one"
                        + " at line " + parser.currentLocation().getLineNr());
                return null;
            }
            return tree == null ? MissingNode.getInstance() : tree;
        } catch (JsonProcessingException e) {
            problems.add(path(e), message(e));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a String cannot fail", e);
        }
    }

    /** Where the parser was when it gave up, in the same {@code a.b[0].c} form as every other error. */
    private static String path(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser) || parser.getParsingContext() == null) {
            return Node.ROOT;
        }
        StringBuilder path = new StringBuilder();
        for (JsonPointer p = parser.getParsingContext().pathAsPointer(); !p.matches(); p = p.tail()) {
            if (p.mayMatchElement()) {
                path.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(p.getMatchingProperty());
            }
        }
        return path.isEmpty() ? Node.ROOT : path.toString();
    }

    /**
     * SnakeYAML's message on one line: its source excerpts and caret lines are dropped (they assume a
     * fixed-width terminal) and its {@code in 'reader'} marks become {@code at line L, column C}.
     */
    static String message(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
        List<String> parts = new ArrayList<>();
        for (String line : original.split("\n")) {
            Matcher mark = MARK.matcher(line);
            if (mark.matches() && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + " at " + mark.group(1));
            } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.strip());
            }
        }
        String text = parts.isEmpty() ? original.strip() : String.join("; ", parts);
        if (!text.contains("line ") && e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            text += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return "invalid YAML: " + text;
    }
}
