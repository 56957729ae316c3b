package io.sluice.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param healthChecks  active checks of the group ({@code health_checks:}, the top level's values with
 *                      {@code check_type: tcp} unless written here); a backend found down is skipped
 * @param outlierDetection passive health: failed connects in a row eject a backend for a while
 * @param splice        {@code splice: auto} (true) moves bytes with Linux splice(2) when both sockets are epoll;
 *                      {@code off} (false) always copies through pooled direct buffers
 */
public record TcpListenerConfig(
        String name,
        String host,
        int port,
        String algorithm,
        List<BackendConfig> backends,
        Duration idleTimeout,
        boolean proxyProtocol,
        HealthCheckConfig healthChecks,
        Optional<OutlierConfig> outlierDetection,
        boolean splice) {

    public TcpListenerConfig {
        backends = List.copyOf(backends);
        Objects.requireNonNull(healthChecks, "healthChecks");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
    }
}
