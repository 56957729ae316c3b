package io.sluice.cli;

import io.sluice.core.config.ConfigException;
import io.sluice.core.config.ConfigLoader;
import io.sluice.core.config.SluiceConfig;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads a config file for a command, printing every error the way users need to fix them. */
final class Configs {

    /** Exit code for a configuration that does not validate. */
    static final int INVALID = 2;

    private Configs() {}

    /** The config, or null after printing the errors to {@code err}. */
    static SluiceConfig load(Path file, PrintWriter err) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
    }
}
