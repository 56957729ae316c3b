package io.sluice.core.config;

import io.sluice.core.balance.BalancingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds {@code routes:}, or the seed-001 shorthand of a top-level {@code backends:} list. */
final class RouteBinder {

    static final List<String> ROUTE_KEYS = List.of(
            "name", "host", "path_prefix", "algorithm", "hash_key", "slow_start", "ewma_decay", "backends");
    static final List<String> BACKEND_KEYS = List.of("host", "port", "weight", "max_connections");

    private static final int MAX_CONNECTIONS = 100_000;

    private final List<String> algorithms = BalancingStrategy.names().stream().sorted().toList();
    private final int defaultMaxConnections;

    /** @param defaultMaxConnections {@code connection_pool.max_connections}, for backends that do not set one */
    RouteBinder(int defaultMaxConnections) {
        this.defaultMaxConnections = defaultMaxConnections;
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
                    Defaults.BALANCER,
                    backends(backends)));
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
        BalancerConfig balancer = balancer(r);
        Node backends = r.get("backends");
        List<BackendConfig> list = backends.required() ? backends(backends) : List.of();
        return new RouteConfig(name, host, prefix, balancer, list);
    }

    /**
     * The algorithm and its options. An option the chosen algorithm would ignore is an error rather than a
     * silent no-op: {@code hash_key} with {@code round_robin} is a mistake the operator wants to hear about.
     */
    private BalancerConfig balancer(Node r) {
        Node algorithmNode = r.get("algorithm");
        String algorithm = algorithmNode.oneOf(Defaults.ALGORITHM, algorithms);
        boolean known = !algorithmNode.failed();

        Node hashKeyNode = r.get("hash_key");
        BalancerConfig.HashKey hashKey = BalancerConfig.HashKey.CLIENT_IP;
        String hashKeyText = hashKeyNode.string(null);
        if (hashKeyText != null) {
            Optional<BalancerConfig.HashKey> parsed = BalancerConfig.HashKey.parse(hashKeyText);
            if (parsed.isEmpty()) {
                hashKeyNode.error("must be client_ip, header:<name> or cookie:<name>, got " + Node.quote(hashKeyText));
            } else if (known && !algorithm.equals("ip_hash")) {
                hashKeyNode.error("must be absent unless algorithm is ip_hash, got " + Node.quote(hashKeyText)
                        + " with " + algorithm);
            } else {
                hashKey = parsed.get();
            }
        }

        Node slowStartNode = r.get("slow_start");
        Duration slowStart = slowStartNode.duration(Duration.ZERO, "0s", "1h");
        if (!slowStart.isZero() && known && !BalancingStrategy.weightAware().contains(algorithm)) {
            slowStartNode.error("must be absent or 0s unless algorithm is one of "
                    + String.join(", ", BalancingStrategy.weightAware().stream().sorted().toList())
                    + ", got " + slowStartNode.raw() + " with " + algorithm);
            slowStart = Duration.ZERO;
        }

        Node decayNode = r.get("ewma_decay");
        Duration decay = decayNode.duration(Defaults.EWMA_DECAY, "1ms", "1h");
        if (decayNode.present() && !decayNode.failed() && known && !algorithm.equals("least_response_time")) {
            decayNode.error("must be absent unless algorithm is least_response_time, got " + decayNode.raw()
                    + " with " + algorithm);
            decay = Defaults.EWMA_DECAY;
        }
        return new BalancerConfig(algorithm, hashKey, slowStart, decay);
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
