package io.sluice.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The errors found so far. Binding never stops at the first one: an operator fixing a file wants the whole
 * list in one run, not one round trip per mistake.
 */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();

    void add(String path, String message) {
        errors.add(new ConfigError(path, message));
        paths.add(path);
    }

    /** Cross-field checks ask this so they do not pile a second, derived complaint onto a bad value. */
    boolean hasAt(String path) {
        return paths.contains(path);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<ConfigError> errors() {
        return List.copyOf(errors);
    }
}
