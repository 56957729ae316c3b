package io.sluice.core.config;

import java.time.Duration;

/**
 * Deadlines ({@code timeouts:}, seed 001).
 *
 * @param connect   establishing an upstream connection (default 5 s); failing it answers 504
 * @param read      silence from the backend while a response is awaited or streaming (default 30 s); 504 if no response started
 * @param write     a write that cannot make progress, either direction (default 30 s)
 * @param keepalive idle downstream connection between requests (default 75 s)
 */
public record Timeouts(Duration connect, Duration read, Duration write, Duration keepalive) {}
