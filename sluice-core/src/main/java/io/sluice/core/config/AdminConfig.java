package io.sluice.core.config;

/**
 * The admin listener ({@code admin:}, seed 004): /healthz, /readyz, /version, /metrics.
 *
 * @param enabled start it (default true)
 * @param host    bind address (default 127.0.0.1)
 * @param port    bind port (default 9901; 0 picks a free one)
 */
public record AdminConfig(boolean enabled, String host, int port) {}
