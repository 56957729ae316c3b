package io.sluice.core.config;

import java.nio.file.Path;

/**
 * Reads and validates YAML configuration into an immutable {@link SluiceConfig}.
 * PLACEHOLDER: the binder and validator land in the next commit.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** Loads a file; every problem is reported at once in the exception. */
    public static SluiceConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Parses YAML text; {@code source} names it in error messages. Empty text gives the defaults. */
    public static SluiceConfig parse(String yaml, String source) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }
}
