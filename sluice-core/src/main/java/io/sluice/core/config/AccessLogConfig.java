package io.sluice.core.config;

/**
 * The access log ({@code access_log:}): one line per request on the {@code sluice.access} logger.
 *
 * @param enabled write it (default false)
 */
public record AccessLogConfig(boolean enabled) {}
