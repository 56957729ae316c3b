package io.sluice.core.config;

import java.time.Duration;
import java.util.List;

/**
 * An L4 listener ({@code tcp[i]}, issue 9): forwards whole TCP connections to a backend group, like HAProxy's
 * {@code mode tcp} or nginx's {@code stream}.
 *
 * @param name          unique among listeners, used in metrics and /readyz
 * @param host          bind address (default 127.0.0.1)
 * @param port          bind port; 0 picks a free one (tests)
 * @param algorithm     the balancer over {@code backends}
 * @param backends      at least one
 * @param idleTimeout   a connection with no bytes either way for this long is closed (default 1 h)
 * @param proxyProtocol send a PROXY protocol v2 header to the backend so it sees the client's address
 */
public record TcpListenerConfig(
        String name,
        String host,
        int port,
        String algorithm,
        List<BackendConfig> backends,
        Duration idleTimeout,
        boolean proxyProtocol) {

    public TcpListenerConfig {
        backends = List.copyOf(backends);
    }
}
