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
            List.of("name", "host", "port", "algorithm", "backends", "idle_timeout", "proxy_protocol");
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    private TcpBinder() {}

    static List<TcpListenerConfig> bind(Node list, RouteBinder backends, Set<String> takenNames) {
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
            out.add(new TcpListenerConfig(name, host, port, algorithm, group, idle, proxyProtocol));
        }
        return out;
    }
}
