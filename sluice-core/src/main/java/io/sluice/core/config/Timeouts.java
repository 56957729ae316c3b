package io.sluice.core.config;

import java.time.Duration;

/**
 * Deadlines ({@code timeouts:}, seed 001).
 *
 * @param connect   establishing an upstream connection (default 5 s); failing it answers 504
 * @param read      silence from the backend while a response is awaited or streaming (default 30 s); 504 if no response started
 * @param write     a write that cannot make progress, either direction (default 30 s)
 * @param keepalive idle downstream connection between requests (default 75 s)
 * @param requestHeader a client must send a request's whole head within this once its first byte arrived
 *                      (default 10 s); slower clients get 408 and are closed (slowloris protection)
 */
public record Timeouts(Duration connect, Duration read, Duration write, Duration keepalive, Duration requestHeader) {}
