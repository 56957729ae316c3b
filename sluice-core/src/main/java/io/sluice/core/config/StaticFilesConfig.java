package io.sluice.core.config;

import java.nio.file.Path;

/**
 * A route that serves files instead of proxying ({@code routes[i].static:}).
 *
 * @param root the directory served (must exist); request paths are taken relative to it, minus the route's prefix
 */
public record StaticFilesConfig(Path root) {}
