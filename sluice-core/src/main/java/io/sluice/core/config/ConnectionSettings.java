package io.sluice.core.config;

import java.time.Duration;

/**
 * Downstream connection behaviour ({@code connection_settings:}, seed 001).
 *
 * @param keepAlive                keep client connections open between requests
 * @param keepAliveTimeout         idle time allowed between requests (default 75 s; {@code timeouts.keepalive} is the same knob)
 * @param maxRequestsPerConnection requests served on one connection before it is closed; the last response says {@code Connection: close} (default 1000)
 * @param tcpNodelay               disable Nagle's algorithm on every socket
 * @param tcpQuickack              TCP_QUICKACK on accepted sockets (Linux, epoll transport only)
 */
public record ConnectionSettings(
        boolean keepAlive,
        Duration keepAliveTimeout,
        int maxRequestsPerConnection,
        boolean tcpNodelay,
        boolean tcpQuickack) {}
