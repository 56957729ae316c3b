package io.sluice.core.config;

/**
 * One problem in a configuration file.
 *
 * @param path    where, as a YAML path: {@code routes[0].backends[1].weight}
 * @param message what, naming the bad value and what is allowed: {@code must be 1..1000, got 0}
 */
public record ConfigError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
