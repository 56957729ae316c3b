package io.sluice.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one Sluice process: an immutable snapshot, validated once at load by
 * {@link ConfigLoader}. Runtime changes replace the whole snapshot, never a field of it.
 *
 * @param server              listeners and event-loop settings ({@code server:})
 * @param connectionSettings  downstream keep-alive and socket options ({@code connection_settings:})
 * @param timeouts            connect/read/write/keepalive deadlines ({@code timeouts:})
 * @param connectionPool      default upstream pool settings ({@code connection_pool:})
 * @param proxy               forwarding-header behaviour ({@code proxy:})
 * @param admin               the admin listener ({@code admin:})
 * @param accessLog           per-request log ({@code access_log:})
 * @param routes              routes in match order ({@code routes:}, or a top-level {@code backends:})
 * @param compression         compression levels and the defaults routes inherit ({@code compression:})
 * @param tcp                 L4 listeners forwarding whole TCP connections ({@code tcp:})
 * @param healthChecks        active health checks, the default for every route ({@code health_checks:})
 * @param bandwidth           the process-wide bandwidth limit and every route's defaults ({@code bandwidth:})
 * @param udp                 datagram listeners with per-client sessions ({@code udp:})
 * @param tunnel              the tunnel, client or server role, when configured ({@code tunnel:})
 */
public record SluiceConfig(
        ServerConfig server,
        ConnectionSettings connectionSettings,
        Timeouts timeouts,
        PoolConfig connectionPool,
        ProxyHeaders proxy,
        AdminConfig admin,
        AccessLogConfig accessLog,
        List<RouteConfig> routes,
        CompressionConfig compression,
        List<TcpListenerConfig> tcp,
        HealthCheckConfig healthChecks,
        BandwidthConfig bandwidth,
        List<UdpListenerConfig> udp,
        Optional<TunnelConfig> tunnel) {

    /** A configuration without a tunnel. */
    public SluiceConfig(ServerConfig server, ConnectionSettings connectionSettings, Timeouts timeouts,
                        PoolConfig connectionPool, ProxyHeaders proxy, AdminConfig admin, AccessLogConfig accessLog,
                        List<RouteConfig> routes, CompressionConfig compression, List<TcpListenerConfig> tcp,
                        HealthCheckConfig healthChecks, BandwidthConfig bandwidth, List<UdpListenerConfig> udp) {
        this(server, connectionSettings, timeouts, connectionPool, proxy, admin, accessLog, routes, compression, tcp,
                healthChecks, bandwidth, udp, Optional.empty());
    }

    /** A configuration without {@code udp:} listeners or a tunnel. */
    public SluiceConfig(ServerConfig server, ConnectionSettings connectionSettings, Timeouts timeouts,
                        PoolConfig connectionPool, ProxyHeaders proxy, AdminConfig admin, AccessLogConfig accessLog,
                        List<RouteConfig> routes, CompressionConfig compression, List<TcpListenerConfig> tcp,
                        HealthCheckConfig healthChecks, BandwidthConfig bandwidth) {
        this(server, connectionSettings, timeouts, connectionPool, proxy, admin, accessLog, routes, compression, tcp,
                healthChecks, bandwidth, List.of());
    }

    /** A configuration with compression at its defaults (off). */
    public SluiceConfig(ServerConfig server, ConnectionSettings connectionSettings, Timeouts timeouts,
                        PoolConfig connectionPool, ProxyHeaders proxy, AdminConfig admin, AccessLogConfig accessLog,
                        List<RouteConfig> routes) {
        this(server, connectionSettings, timeouts, connectionPool, proxy, admin, accessLog, routes, CompressionConfig.OFF,
                List.of(), Defaults.HEALTH_CHECKS);
    }

    /** A configuration without bandwidth limits. */
    public SluiceConfig(ServerConfig server, ConnectionSettings connectionSettings, Timeouts timeouts,
                        PoolConfig connectionPool, ProxyHeaders proxy, AdminConfig admin, AccessLogConfig accessLog,
                        List<RouteConfig> routes, CompressionConfig compression, List<TcpListenerConfig> tcp,
                        HealthCheckConfig healthChecks) {
        this(server, connectionSettings, timeouts, connectionPool, proxy, admin, accessLog, routes, compression, tcp,
                healthChecks, BandwidthConfig.UNLIMITED);
    }

    public SluiceConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(connectionSettings, "connectionSettings");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(connectionPool, "connectionPool");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(accessLog, "accessLog");
        routes = List.copyOf(routes);
        Objects.requireNonNull(compression, "compression");
        tcp = List.copyOf(tcp);
        Objects.requireNonNull(healthChecks, "healthChecks");
        Objects.requireNonNull(bandwidth, "bandwidth");
        udp = List.copyOf(udp);
        Objects.requireNonNull(tunnel, "tunnel");
    }
}
