package io.sluice.core.config;

import io.sluice.core.balance.BalancingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Binds the top-level {@code udp:} list of datagram listeners. */
final class UdpBinder {

    static final List<String> KEYS = List.of(
            "name", "host", "port", "algorithm", "backends", "max_sessions", "idle_timeout", "queue_size");
    static final int DEFAULT_MAX_SESSIONS = 10_000;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    static final int DEFAULT_QUEUE_SIZE = 256;

    private UdpBinder() {}

    /** {@code takenNames} holds the listener names already used; the ones bound here are added to it. */
    static List<UdpListenerConfig> bind(Node list, RouteBinder backends, Set<String> takenNames) {
        List<UdpListenerConfig> out = new ArrayList<>();
        List<Node> elements = list.elements();
        for (int i = 0; i < elements.size(); i++) {
            Node u = elements.get(i).mapping(KEYS);
            if (u.failed()) {
                continue;
            }
            Node nameNode = u.get("name");
            String name = nameNode.required() ? nameNode.string("udp-" + i) : "udp-" + i;
            if (!takenNames.add(name) && !nameNode.failed()) {
                nameNode.error("duplicate listener name " + Node.quote(name));
            }
            String host = u.get("host").string("127.0.0.1");
            Node portNode = u.get("port");
            int port = portNode.required() ? portNode.integer(0, 0, 65535) : 0;
            String algorithm = u.get("algorithm").oneOf(Defaults.ALGORITHM,
                    BalancingStrategy.names().stream().sorted().toList());
            Node b = u.get("backends");
            List<BackendConfig> group = b.required() ? backends.backendList(b) : List.of();
            int maxSessions = u.get("max_sessions").integer(DEFAULT_MAX_SESSIONS, 1, 1_000_000);
            Duration idle = u.get("idle_timeout").duration(DEFAULT_IDLE_TIMEOUT, "100ms", "1d");
            int queue = u.get("queue_size").integer(DEFAULT_QUEUE_SIZE, 1, 65_536);
            out.add(new UdpListenerConfig(name, host, port, algorithm, group, maxSessions, idle, queue));
        }
        return out;
    }
}
