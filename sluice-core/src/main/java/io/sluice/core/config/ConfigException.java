package io.sluice.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was rejected; carries every problem found, not just the first. */
public final class ConfigException extends Exception {

    private final String source;
    private final List<ConfigError> errors;

    public ConfigException(String source, List<ConfigError> errors) {
        super(format(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String format(String source, List<ConfigError> errors) {
        return source + ": " + errors.size() + " configuration error" + (errors.size() == 1 ? "" : "s") + "\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
