package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a parsed YAML tree into a {@link SluiceConfig}, section by section, recording every problem in
 * {@link Problems}. Sections are bound in dependency order: routes need the pool's default ceiling
 * and the top-level health checks they inherit.
 */
final class ConfigBinder {

    static final List<String> ROOT_KEYS = List.of(
            "server", "connection_settings", "timeouts", "connection_pool", "proxy", "admin", "access_log",
            "routes", "backends", "compression", "tcp", "health_checks", "bandwidth", "udp", "tunnel");
    static final List<String> CONNECTION_SETTINGS_KEYS = List.of(
            "keep_alive", "keep_alive_timeout", "max_requests_per_connection", "tcp_nodelay", "tcp_quickack");
    static final List<String> TIMEOUTS_KEYS = List.of("connect", "read", "write", "keepalive", "request_header");
    static final List<String> POOL_KEYS = List.of(
            "min_idle", "max_connections", "idle_timeout", "max_lifetime", "health_check", "wait_timeout");
    static final List<String> PROXY_KEYS = List.of("x_forwarded", "via", "via_name", "preserve_host");
    static final List<String> ADMIN_KEYS = List.of("enabled", "host", "port", "token", "state_dir", "job_workers", "rate_limit",
            "job_bandwidth");
    static final List<String> ACCESS_LOG_KEYS = List.of("enabled");

    /** RFC 9110 token characters: a Via pseudonym with anything else would corrupt the header. */
    private static final String TOKEN_PUNCTUATION = "!#$%&'*+-.^_`|~";

    private static final int MAX_POOL_CONNECTIONS = 100_000;

    private ConfigBinder() {}

    static SluiceConfig bind(JsonNode tree, Path baseDir, Problems problems) {
        Node root = Node.root(tree, problems).mapping(ROOT_KEYS);
        ServerBinder serverBinder = new ServerBinder(baseDir);
        ServerConfig server = serverBinder.bind(root.get("server"));
        Node cs = root.get("connection_settings").mapping(CONNECTION_SETTINGS_KEYS);
        Node ts = root.get("timeouts").mapping(TIMEOUTS_KEYS);
        Duration keepalive = keepalive(cs.get("keep_alive_timeout"), ts.get("keepalive"));
        ConnectionSettings connectionSettings = connectionSettings(cs, keepalive);
        Timeouts timeouts = timeouts(ts, keepalive);
        PoolConfig pool = pool(root.get("connection_pool"));
        ProxyHeaders proxy = proxy(root.get("proxy"));
        AdminConfig admin = admin(root.get("admin"), baseDir);
        AccessLogConfig accessLog =
                new AccessLogConfig(root.get("access_log").mapping(ACCESS_LOG_KEYS).get("enabled")
                        .bool(Defaults.ACCESS_LOG.enabled()));
        CompressionConfig compression = CompressionBinder.bind(root.get("compression"), CompressionConfig.OFF, true);
        HealthCheckConfig healthChecks = HealthBinder.topLevel(root.get("health_checks"));
        BandwidthConfig bandwidth = BandwidthBinder.bind(root.get("bandwidth"), BandwidthConfig.UNLIMITED, true);
        RouteBinder routeBinder = new RouteBinder(pool.maxConnections(), compression, healthChecks, baseDir, bandwidth);
        List<RouteConfig> routes = routeBinder.bind(root.get("routes"), root.get("backends"));
        java.util.Set<String> listenerNames = new java.util.HashSet<>();
        server.listeners().forEach(l -> listenerNames.add(l.name()));
        List<TcpListenerConfig> tcp = TcpBinder.bind(root.get("tcp"), routeBinder, listenerNames, healthChecks);
        tcp.forEach(t -> listenerNames.add(t.name()));
        List<UdpListenerConfig> udp = UdpBinder.bind(root.get("udp"), routeBinder, listenerNames);
        udp.forEach(u -> listenerNames.add(u.name()));
        Optional<TunnelConfig> tunnel = new TunnelBinder(serverBinder).bind(root.get("tunnel"), listenerNames);
        return new SluiceConfig(server, connectionSettings, timeouts, pool, proxy, admin, accessLog, routes,
                compression, tcp, healthChecks, bandwidth, udp, tunnel);
    }

    /**
     * Seed 001 has the downstream idle timeout under both names. Either spelling sets it; if both are
     * written they must agree, since quietly preferring one would ignore what the operator typed in the other.
     */
    private static Duration keepalive(Node settings, Node timeouts) {
        Duration fallback = Defaults.CONNECTION_SETTINGS.keepAliveTimeout();
        Duration a = settings.duration(fallback, "1s", "1h");
        Duration b = timeouts.duration(fallback, "1s", "1h");
        boolean aSet = settings.present() && !settings.failed();
        boolean bSet = timeouts.present() && !timeouts.failed();
        if (aSet && bSet && !a.equals(b)) {
            timeouts.error("must be the same as " + settings.path() + " (" + settings.raw() + "), got "
                    + timeouts.raw());
        }
        return aSet ? a : bSet ? b : fallback;
    }

    private static ConnectionSettings connectionSettings(Node c, Duration keepalive) {
        ConnectionSettings d = Defaults.CONNECTION_SETTINGS;
        return new ConnectionSettings(
                c.get("keep_alive").bool(d.keepAlive()),
                keepalive,
                c.get("max_requests_per_connection").integer(d.maxRequestsPerConnection(), 1, 1_000_000),
                c.get("tcp_nodelay").bool(d.tcpNodelay()),
                c.get("tcp_quickack").bool(d.tcpQuickack()));
    }

    private static Timeouts timeouts(Node t, Duration keepalive) {
        Timeouts d = Defaults.TIMEOUTS;
        return new Timeouts(
                t.get("connect").duration(d.connect(), "1ms", "10m"),
                t.get("read").duration(d.read(), "1ms", "1h"),
                t.get("write").duration(d.write(), "1ms", "1h"),
                keepalive,
                t.get("request_header").duration(d.requestHeader(), "100ms", "1h"));
    }

    private static PoolConfig pool(Node node) {
        Node p = node.mapping(POOL_KEYS);
        PoolConfig d = Defaults.POOL;
        Node maxNode = p.get("max_connections");
        int max = maxNode.integer(d.maxConnections(), 1, MAX_POOL_CONNECTIONS);
        // Against a rejected max the real ceiling is unknown; check against the widest one instead.
        int minIdleCeiling = maxNode.failed() ? MAX_POOL_CONNECTIONS : max;
        return new PoolConfig(
                p.get("min_idle").integer(d.minIdle(), 0, minIdleCeiling),
                max,
                p.get("idle_timeout").duration(d.idleTimeout(), "1s", "24h"),
                p.get("max_lifetime").duration(d.maxLifetime(), "1s", "24h"),
                p.get("health_check").duration(d.healthCheck(), "1s", "1h"),
                p.get("wait_timeout").duration(d.waitTimeout(), "1ms", "10m"));
    }

    private static ProxyHeaders proxy(Node node) {
        Node p = node.mapping(PROXY_KEYS);
        ProxyHeaders d = Defaults.PROXY;
        boolean xForwarded = p.get("x_forwarded").bool(d.xForwarded());
        boolean via = p.get("via").bool(d.via());
        Node viaNameNode = p.get("via_name");
        String viaName = viaNameNode.string(d.viaName());
        if (!viaNameNode.failed() && !isToken(viaName)) {
            viaNameNode.error("must be a token (letters, digits and " + TOKEN_PUNCTUATION + "), got "
                    + Node.quote(viaName));
        }
        return new ProxyHeaders(
                xForwarded,
                via,
                viaName,
                p.get("preserve_host").bool(d.preserveHost()));
    }

    private static boolean isToken(String s) {
        return s.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || TOKEN_PUNCTUATION.indexOf(c) >= 0));
    }

    private static AdminConfig admin(Node node, Path baseDir) {
        Node a = node.mapping(ADMIN_KEYS);
        AdminConfig d = Defaults.ADMIN;
        boolean enabled = a.get("enabled").bool(d.enabled());
        Node hostNode = a.get("host");
        String host = hostNode.string(d.host());
        int port = a.get("port").integer(d.port(), 0, 65535);
        Node tokenNode = a.get("token");
        Optional<String> token = tokenNode.optionalString();
        if (token.isPresent() && (token.get().isBlank() || !token.get().chars().allMatch(c -> c > 32 && c < 127))) {
            tokenNode.error("must be printable ASCII without spaces, got a value of " + token.get().length()
                    + " character(s)");
            token = Optional.empty();
        }
        if (token.isEmpty()) {
            String env = System.getenv(AdminConfig.TOKEN_ENV);
            if (env != null && !env.isBlank()) {
                token = Optional.of(env.strip());
            }
        }
        if (enabled && token.isEmpty() && !tokenNode.failed() && !AdminConfig.isLoopback(host)) {
            tokenNode.error("required when admin.host (" + host + ") is not a loopback address: set admin.token or "
                    + "the " + AdminConfig.TOKEN_ENV + " environment variable, or bind admin.host to 127.0.0.1");
        }
        Optional<Path> stateDir = a.get("state_dir").optionalString().map(s -> baseDir.resolve(s).normalize());
        int jobWorkers = a.get("job_workers").integer(d.jobWorkers(), 1, 100);
        Node rl = a.get("rate_limit");
        RateLimitConfig rateLimit = rl.present()
                ? RouteBinder.rateLimit(rl, true)
                : AdminConfig.DEFAULT_RATE_LIMIT;
        JobBandwidthConfig jobBandwidth = BandwidthBinder.bindJobs(a.get("job_bandwidth"));
        return new AdminConfig(enabled, host, port, token, stateDir, jobWorkers, rateLimit, jobBandwidth);
    }
}
