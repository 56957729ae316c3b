package io.sluice.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A UDP listener ({@code udp[i]}, issue 9): forwards datagrams to a backend group. Each client address gets a
 * session with its own upstream socket, so replies find their way back; sessions are bounded in number and
 * expire when idle, and each has a bounded send queue: what does not fit is dropped and counted, never buffered.
 *
 * @param name        unique among listeners, used in metrics and /readyz
 * @param host        bind address (default 127.0.0.1)
 * @param port        bind port; 0 picks a free one (tests)
 * @param algorithm   the balancer over {@code backends}, consulted once per new session
 * @param backends    at least one
 * @param maxSessions at most this many client sessions at once; datagrams that would open another are dropped
 * @param idleTimeout a session with no datagram either way for this long is closed
 * @param queueSize   datagrams a session may have in flight each way (written, not yet sent) before dropping
 */
public record UdpListenerConfig(
        String name,
        String host,
        int port,
        String algorithm,
        List<BackendConfig> backends,
        int maxSessions,
        Duration idleTimeout,
        int queueSize) {

    public UdpListenerConfig {
        backends = List.copyOf(backends);
    }
}
