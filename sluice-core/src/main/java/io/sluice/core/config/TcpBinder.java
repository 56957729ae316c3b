package io.sluice.core.config;

import io.sluice.core.balance.BalancingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Binds the top-level {@code tcp:} list of L4 listeners. */
final class TcpBinder {

    static final List<String> KEYS =
            List.of("name", "host", "port", "algorithm", "backends", "idle_timeout", "proxy_protocol",
                    "health_checks", "outlier_detection", "splice");
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    private TcpBinder() {}

    static List<TcpListenerConfig> bind(Node list, RouteBinder backends, Set<String> takenNames,
                                        HealthCheckConfig topLevelChecks) {
        // A tcp group is checked by opening a connection unless the listener asks for another check.
        HealthCheckConfig inherited = withType(topLevelChecks, HealthCheckConfig.CheckType.TCP);
        List<TcpListenerConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>(takenNames);
        List<Node> elements = list.elements();
        for (int i = 0; i < elements.size(); i++) {
            Node t = elements.get(i).mapping(KEYS);
            if (t.failed()) {
                continue;
            }
            Node nameNode = t.get("name");
            String name = nameNode.required() ? nameNode.string("tcp-" + i) : "tcp-" + i;
            if (!names.add(name) && !nameNode.failed()) {
                nameNode.error("duplicate listener name " + Node.quote(name));
            }
            String host = t.get("host").string("127.0.0.1");
            Node portNode = t.get("port");
            int port = portNode.required() ? portNode.integer(0, 0, 65535) : 0;
            String algorithm = t.get("algorithm").oneOf(Defaults.ALGORITHM,
                    BalancingStrategy.names().stream().sorted().toList());
            Node b = t.get("backends");
            List<BackendConfig> group = b.required() ? backends.backendList(b) : List.of();
            Duration idle = t.get("idle_timeout").duration(DEFAULT_IDLE_TIMEOUT, "1s", "7d");
            boolean proxyProtocol = t.get("proxy_protocol").bool(false);
            HealthCheckConfig checks = HealthBinder.route(t.get("health_checks"), inherited);
            java.util.Optional<OutlierConfig> outliers = HealthBinder.outlier(t.get("outlier_detection"));
            Node spliceNode = t.get("splice"); // YAML 1.1 reads a bare off as false
            // auto by default: byte-identical (issue 9's tail loss is fixed) and cheaper per GB than copying.
            boolean splice = spliceNode.isBoolean() ? spliceNode.bool(true)
                    : spliceNode.oneOf("auto", List.of("auto", "off")).equals("auto");
            out.add(new TcpListenerConfig(name, host, port, algorithm, group, idle, proxyProtocol, checks, outliers,
                    splice));
        }
        return out;
    }

    static HealthCheckConfig withType(HealthCheckConfig c, HealthCheckConfig.CheckType type) {
        return new HealthCheckConfig(c.enabled(), c.workers(), c.interval(), c.timeout(), c.unhealthyThreshold(),
                c.healthyThreshold(), type, c.path(), c.expectedStatus(), c.expectedBody(), c.host(), c.command());
    }
}
