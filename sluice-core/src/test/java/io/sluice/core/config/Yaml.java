package io.sluice.core.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Test shorthand: parse text, or parse it expecting rejection and get the errors as printed. */
final class Yaml {

    private Yaml() {}

    static SluiceConfig parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "test");
        } catch (ConfigException e) {
            throw new AssertionError("expected a valid config, got " + e.getMessage(), e);
        }
    }

    static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "test"));
        if (e == null) {
            throw new AssertionError("expected configuration errors, but this was accepted:\n" + yaml);
        }
        return e.errors().stream().map(ConfigError::toString).toList();
    }
}
