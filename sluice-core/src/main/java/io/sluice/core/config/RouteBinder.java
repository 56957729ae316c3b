package io.sluice.core.config;

import io.sluice.core.balance.BalancingStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;

/** Binds {@code routes:}, or the seed-001 shorthand of a top-level {@code backends:} list. */
final class RouteBinder {

    static final List<String> ROUTE_KEYS = List.of("name", "host", "path_prefix", "algorithm", "backends",
            "static", "compression", "max_body_size", "health_checks", "outlier_detection", "panic_routing",
            "hash_key", "slow_start", "ewma_decay", "retry", "rate_limit", "bandwidth", "request_decompression");
    static final List<String> REQUEST_DECOMPRESSION_KEYS = List.of("enabled", "max_size");
    static final List<String> RATE_LIMIT_KEYS = List.of("enabled", "rate", "per", "burst", "global", "per_client",
            "key", "max_clients", "idle_expiry");
    static final List<String> RETRY_KEYS = List.of("max_retry_attempts", "retry_initial_backoff",
            "retry_max_backoff", "retry_on", "budget_percent", "per_try_timeout", "replay_buffer", "hedge");
    static final List<String> HEDGE_KEYS = List.of("enabled", "delay");
    static final List<String> STATIC_KEYS = List.of("root");
    static final List<String> BACKEND_KEYS = List.of("host", "port", "weight", "max_connections");

    private static final int MAX_CONNECTIONS = 100_000;

    private final List<String> algorithms = BalancingStrategy.names().stream().sorted().toList();
    private final int defaultMaxConnections;
    private final CompressionConfig compression;
    private final HealthCheckConfig defaultHealthChecks;
    private final java.nio.file.Path baseDir;
    private final BandwidthConfig bandwidth;

    /**
     * @param defaultMaxConnections {@code connection_pool.max_connections}, for backends that do not set one
     * @param compression           the top-level compression settings routes inherit
     * @param defaultHealthChecks   the top-level {@code health_checks}, which a route's own keys override
     * @param baseDir               where relative static roots point: the config file's directory
     * @param bandwidth             the top-level {@code bandwidth}, which a route's own keys override
     */
    RouteBinder(int defaultMaxConnections, CompressionConfig compression, HealthCheckConfig defaultHealthChecks,
                java.nio.file.Path baseDir, BandwidthConfig bandwidth) {
        this.bandwidth = bandwidth;
        this.defaultMaxConnections = defaultMaxConnections;
        this.compression = compression;
        this.defaultHealthChecks = defaultHealthChecks;
        this.baseDir = baseDir;
    }

    List<RouteConfig> bind(Node routes, Node backends) {
        if (backends.present()) {
            if (routes.present()) {
                // Which one was meant is a guess either way; refuse rather than silently drop a list of backends.
                backends.error("must be absent when routes is set, got a list; move these backends under a route");
                return routes(routes);
            }
            return List.of(new RouteConfig(
                    Defaults.SHORTHAND_ROUTE_NAME,
                    Optional.empty(),
                    Defaults.PATH_PREFIX,
                    Defaults.ALGORITHM,
                    backends(backends),
                    Optional.empty(),
                    compression,
                    RouteConfig.DEFAULT_MAX_BODY_SIZE,
                    defaultHealthChecks,
                    Optional.empty(),
                    Defaults.PANIC_ROUTING,
                    BalancerOptions.DEFAULTS,
                    RetryConfig.DEFAULTS,
                    RateLimitConfig.OFF,
                    bandwidth,
                    RequestDecompressionConfig.OFF));
        }
        return routes(routes);
    }

    private List<RouteConfig> routes(Node routes) {
        List<RouteConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> elements = routes.elements();
        for (int i = 0; i < elements.size(); i++) {
            Node r = elements.get(i).mapping(ROUTE_KEYS);
            if (r.failed()) {
                continue; // its keys would all read as missing: one error for it is enough
            }
            RouteConfig route = route(r, i);
            Node name = r.get("name");
            if (!names.add(route.name()) && !name.failed()) {
                name.error("duplicate route name " + Node.quote(route.name()));
            }
            out.add(route);
        }
        return out;
    }

    private RouteConfig route(Node r, int index) {
        String name = r.get("name").string("route-" + index);
        Optional<String> host = r.get("host").optionalString();
        Node prefixNode = r.get("path_prefix");
        String prefix = prefixNode.string(Defaults.PATH_PREFIX);
        if (!prefix.startsWith("/") && !prefixNode.failed()) {
            prefixNode.error("must start with \"/\", got " + Node.quote(prefix));
        }
        String algorithm = r.get("algorithm").oneOf(Defaults.ALGORITHM, algorithms);
        Node backends = r.get("backends");
        Node staticNode = r.get("static");
        Optional<StaticFilesConfig> files = Optional.empty();
        List<BackendConfig> list;
        if (staticNode.present()) {
            files = staticFiles(staticNode);
            if (backends.present()) {
                backends.error("must be absent when static is set (a route either serves files or proxies)");
            }
            list = List.of();
        } else {
            list = backends.required() ? backends(backends) : List.of();
        }
        CompressionConfig routeCompression = CompressionBinder.bind(r.get("compression"), compression, false);
        // 0 means no limit; above 1 GiB a route is an upload route, and 0 says so more plainly than a huge number.
        long maxBody = r.get("max_body_size").size((int) RouteConfig.DEFAULT_MAX_BODY_SIZE, "0B", "1GiB");
        HealthCheckConfig healthChecks = HealthBinder.route(r.get("health_checks"), defaultHealthChecks);
        Optional<OutlierConfig> outlier = HealthBinder.outlier(r.get("outlier_detection"));
        boolean panic = r.get("panic_routing").bool(Defaults.PANIC_ROUTING);
        return new RouteConfig(name, host, prefix, algorithm, list, files, routeCompression, maxBody,
                healthChecks, outlier, panic, balancerOptions(r), retry(r.get("retry")), rateLimit(r.get("rate_limit")),
                BandwidthBinder.bind(r.get("bandwidth"), bandwidth, false),
                requestDecompression(r.get("request_decompression")));
    }

    private static RequestDecompressionConfig requestDecompression(Node node) {
        RequestDecompressionConfig d = RequestDecompressionConfig.OFF;
        Node n = node.mapping(REQUEST_DECOMPRESSION_KEYS);
        // Writing the section turns it on unless it says otherwise, as rate_limit does.
        boolean enabled = n.get("enabled").bool(node.present());
        long maxSize = n.get("max_size").size((int) d.maxSize(), "1KiB", "1GiB");
        return new RequestDecompressionConfig(enabled, maxSize);
    }

    private static RateLimitConfig rateLimit(Node node) {
        return rateLimit(node, false);
    }

    /** A {@code rate_limit:} section; on when written or {@code enabledByDefault}, unless it says otherwise. */
    static RateLimitConfig rateLimit(Node node, boolean enabledByDefault) {
        RateLimitConfig d = RateLimitConfig.OFF;
        Node n = node.mapping(RATE_LIMIT_KEYS);
        // Writing the section turns it on unless it says otherwise.
        boolean enabled = n.get("enabled").bool(enabledByDefault || node.present());
        long rate = n.get("rate").integer((int) d.rate(), 1, 10_000_000);
        Duration per = n.get("per").duration(d.per(), "1ms", "1d");
        long burst = n.get("burst").integer((int) d.burst(), 1, 10_000_000);
        boolean global = n.get("global").bool(d.global());
        boolean perClient = n.get("per_client").bool(d.perClient());
        Node keyNode = n.get("key");
        String key = keyNode.string(d.key());
        if (!key.equals("client_ip") && !key.matches("header:[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            keyNode.error("must be client_ip or header:<Name>, got " + Node.quote(key));
            key = d.key();
        }
        long maxClients = n.get("max_clients").integer((int) d.maxClients(), 1, 10_000_000);
        Duration idle = n.get("idle_expiry").duration(d.idleExpiry(), "1s", "1d");
        if (enabled && !global && !perClient) {
            n.get("global").error("must be true when per_client is false (otherwise nothing is limited), got false");
        }
        return new RateLimitConfig(enabled, rate, per, burst, global, perClient, key, maxClients, idle);
    }

    private static RetryConfig retry(Node node) {
        RetryConfig d = RetryConfig.DEFAULTS;
        Node n = node.mapping(RETRY_KEYS);
        int attempts = n.get("max_retry_attempts").integer(d.maxRetryAttempts(), 0, 10);
        Duration initial = n.get("retry_initial_backoff").duration(d.initialBackoff(), "1ms", "1m");
        Duration max = n.get("retry_max_backoff").duration(d.maxBackoff(), "1ms", "10m");
        java.util.Set<String> on = d.retryOn();
        Node onNode = n.get("retry_on");
        if (onNode.present()) {
            on = new java.util.HashSet<>();
            for (Node element : onNode.elements()) {
                String condition = element.raw();
                if (condition.equals("connect_failure") || condition.equals("reset_before_response")
                        || condition.matches("5[0-9][0-9]|429")) {
                    on.add(condition);
                } else {
                    element.error("must be connect_failure, reset_before_response or a status code 429 or 500..599, got "
                            + Node.quote(condition));
                }
            }
        }
        int percent = n.get("budget_percent").integer((int) Math.round(d.budgetRatio() * 100), 0, 100);
        Duration perTry = n.get("per_try_timeout").duration(d.perTryTimeout(), "0ms", "1h");
        int replay = n.get("replay_buffer").size(d.replayBuffer(), "0B", "16MiB");
        return new RetryConfig(attempts, initial, max, on, percent / 100.0, perTry, replay, hedge(n.get("hedge")));
    }

    /** {@code retry.hedge}: {@code enabled} and {@code delay}, a duration or {@code p95}. */
    private static RetryConfig.HedgeConfig hedge(Node node) {
        RetryConfig.HedgeConfig d = RetryConfig.HedgeConfig.OFF;
        Node n = node.mapping(HEDGE_KEYS);
        boolean enabled = n.get("enabled").bool(d.enabled());
        Node delayNode = n.get("delay");
        if (delayNode.present() && "p95".equals(delayNode.raw())) {
            return new RetryConfig.HedgeConfig(enabled, d.delay(), true);
        }
        Duration delay = delayNode.duration(d.delay(), "1ms", "1m");
        return new RetryConfig.HedgeConfig(enabled, delay, false);
    }

    private static BalancerOptions balancerOptions(Node r) {
        BalancerOptions d = BalancerOptions.DEFAULTS;
        Node keyNode = r.get("hash_key");
        String hashKey = keyNode.string(d.hashKey());
        if (!hashKey.equals("client_ip") && !hashKey.matches("(header|cookie):[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            keyNode.error("must be client_ip, header:<Name> or cookie:<name>, got " + Node.quote(hashKey));
            hashKey = d.hashKey();
        }
        return new BalancerOptions(hashKey,
                r.get("slow_start").duration(d.slowStart(), "0s", "1h"),
                r.get("ewma_decay").duration(d.ewmaDecay(), "100ms", "10m"));
    }

    private Optional<StaticFilesConfig> staticFiles(Node node) {
        Node s = node.mapping(STATIC_KEYS);
        Node rootNode = s.get("root");
        if (!rootNode.required()) {
            return Optional.empty();
        }
        String written = rootNode.string("");
        java.nio.file.Path root;
        try {
            root = baseDir.resolve(written).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            rootNode.error("must be a readable directory, got " + Node.quote(written) + " (not a valid path)");
            return Optional.empty();
        }
        if (!java.nio.file.Files.isDirectory(root) || !java.nio.file.Files.isReadable(root)) {
            rootNode.error("must be a readable directory, got " + Node.quote(written) + " (" + root + " is not one)");
            return Optional.empty();
        }
        return Optional.of(new StaticFilesConfig(root));
    }

    /** A backend list in the routes' format, for other sections (L4 listeners) that name backend groups. */
    List<BackendConfig> backendList(Node node) {
        return backends(node);
    }

    private List<BackendConfig> backends(Node node) {
        List<Node> elements = node.elements();
        if (elements.isEmpty() && !node.failed()) {
            node.error("must have at least 1 backend");
        }
        List<BackendConfig> out = new ArrayList<>();
        for (Node element : elements) {
            Node b = element.mapping(BACKEND_KEYS);
            if (b.failed()) {
                continue;
            }
            Node hostNode = b.get("host");
            String host = hostNode.required() ? hostNode.string("") : "";
            Node portNode = b.get("port");
            int port = portNode.required() ? portNode.integer(0, 1, 65535) : 0;
            int weight = b.get("weight").integer(Defaults.WEIGHT, 1, 1000);
            int max = b.get("max_connections").integer(defaultMaxConnections, 1, MAX_CONNECTIONS);
            out.add(new BackendConfig(host, port, weight, max));
        }
        return out;
    }
}
