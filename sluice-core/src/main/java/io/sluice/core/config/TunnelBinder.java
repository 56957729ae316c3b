package io.sluice.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code tunnel:} (issue 9): one role, its keys, and the stream/frame/retry limits shared by both roles. */
final class TunnelBinder {

    static final List<String> KEYS = List.of(
            "role", "listen", "server", "connections", "tls", "tokens", "token", "allow", "listeners",
            "max_concurrent_streams", "max_frame", "chunk_bytes", "stream_window", "connection_window",
            "handshake_timeout", "connect_timeout", "idle_timeout", "ping_interval", "max_retry_attempts",
            "retry_initial_backoff", "retry_max_backoff", "connection_pool", "performance", "packet_workers", "udp",
            "compression");
    static final List<String> ENDPOINT_KEYS = List.of("host", "port", "server_name");
    static final List<String> SERVER_TLS_KEYS = List.of("cert", "key", "key_password", "client_ca", "named_groups",
            "provider");
    static final List<String> CLIENT_TLS_KEYS = List.of("ca", "cert", "key", "key_password", "named_groups",
            "provider");
    static final List<String> LISTENER_KEYS = List.of("name", "host", "port", "protocol", "target");
    static final List<String> POOL_KEYS = List.of("enabled", "size", "idle_timeout");
    static final List<String> PERFORMANCE_KEYS = List.of("profile");
    static final List<String> UDP_KEYS = List.of("max_sessions", "idle_timeout", "queue_size");
    static final List<String> COMPRESSION_KEYS = List.of("enabled", "level");
    static final Duration DEFAULT_UDP_IDLE = Duration.ofSeconds(60);

    /** Keys only one role may use: the other role's would be silently ignored, so they are errors. */
    private static final List<String> SERVER_ONLY = List.of("listen", "tokens", "allow", "connection_pool");
    private static final List<String> CLIENT_ONLY = List.of("server", "connections", "token", "listeners",
            "ping_interval");

    static final int SERVER_MAX_STREAMS = 10_000;
    static final int CLIENT_MAX_STREAMS = 5_000;
    static final TunnelConfig.TargetPool DEFAULT_POOL = new TunnelConfig.TargetPool(false, 100, Duration.ofSeconds(90));

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_]+");

    private final ServerBinder files;

    TunnelBinder(ServerBinder files) {
        this.files = files;
    }

    Optional<TunnelConfig> bind(Node node, Set<String> takenNames) {
        if (!node.present()) {
            return Optional.empty();
        }
        Node t = node.mapping(KEYS);
        if (t.failed()) {
            return Optional.empty();
        }
        Node roleNode = t.get("role");
        if (!roleNode.required()) {
            return Optional.empty();
        }
        String roleName = roleNode.oneOf("client", List.of("client", "server"));
        if (roleNode.failed()) {
            return Optional.empty();
        }
        TunnelConfig.Role role = TunnelConfig.Role.valueOf(roleName.toUpperCase(Locale.ROOT));
        boolean server = role == TunnelConfig.Role.SERVER;
        for (String key : server ? CLIENT_ONLY : SERVER_ONLY) {
            Node other = t.get(key);
            if (other.present()) {
                other.error("must be absent when tunnel.role is " + roleName);
            }
        }
        TunnelProfile profile = profile(t.get("performance").mapping(PERFORMANCE_KEYS).get("profile"));
        TunnelConfig.Limits limits = limits(t, server, profile);
        int workers = t.get("packet_workers").integer(profile.packetWorkers(), 0, 1024);
        Node u = t.get("udp").mapping(UDP_KEYS);
        if (server && u.get("max_sessions").present()) {
            u.get("max_sessions").error("must be absent when tunnel.role is server (the session table is the"
                    + " client's; UDP streams count against max_concurrent_streams)");
        }
        TunnelConfig.Udp udp = new TunnelConfig.Udp(
                u.get("max_sessions").integer(profile.udpMaxSessions(), 1, 1_000_000),
                u.get("idle_timeout").duration(DEFAULT_UDP_IDLE, "100ms", "1d"),
                u.get("queue_size").integer(profile.udpQueue(), 1, 65_536));
        Node c = t.get("compression").mapping(COMPRESSION_KEYS);
        TunnelConfig.Compression compression = new TunnelConfig.Compression(c.get("enabled").bool(false),
                c.get("level").integer(1, 1, 19));
        Shared shared = new Shared(limits, workers, profile, udp, compression);
        return Optional.of(server ? server(t, shared) : client(t, shared, takenNames));
    }

    /** What both roles bind the same way. */
    private record Shared(TunnelConfig.Limits limits, int packetWorkers, TunnelProfile profile, TunnelConfig.Udp udp,
                          TunnelConfig.Compression compression) {}

    private static TunnelProfile profile(Node node) {
        List<String> names = TunnelProfile.NAMED.stream().map(TunnelProfile::name).toList();
        String name = node.oneOf(null, names);
        return name == null ? TunnelProfile.DEFAULT : TunnelProfile.named(name);
    }

    private TunnelConfig server(Node t, Shared shared) {
        TunnelProfile profile = shared.profile();
        Node l = t.get("listen").mapping(ENDPOINT_KEYS);
        TunnelConfig.Endpoint listen = null;
        if (t.get("listen").required()) {
            Node port = l.get("port");
            listen = new TunnelConfig.Endpoint(l.get("host").string("0.0.0.0"),
                    port.required() ? port.integer(0, 0, 65535) : 0, "");
            if (l.get("server_name").present()) {
                l.get("server_name").error("must be absent under tunnel.listen (it is a client key)");
            }
        }
        Node tlsNode = t.get("tls");
        TunnelConfig.Tls tls = emptyTls();
        if (tlsNode.required()) {
            Node s = tlsNode.mapping(SERVER_TLS_KEYS);
            tls = new TunnelConfig.Tls(Optional.of(files.readableFile(s.get("cert"))),
                    Optional.of(files.readableFile(s.get("key"))), s.get("key_password").optionalString(),
                    optionalFile(s.get("client_ca")), groups(s.get("named_groups")),
                    provider(s.get("provider")));
        }
        List<String> tokens = tokens(t.get("tokens"));
        if (tokens.isEmpty() && tls.trust().isEmpty() && !t.get("tokens").present() && !tlsNode.failed()) {
            t.get("tokens").error("required unless tunnel.tls.client_ca is set: the tunnel server must authenticate"
                    + " its clients (it is never an open proxy)");
        }
        Node allowNode = t.get("allow");
        List<String> allow = new ArrayList<>();
        if (allowNode.required()) {
            List<Node> entries = allowNode.elements();
            if (entries.isEmpty() && !allowNode.failed()) {
                allowNode.error("must list at least 1 target pattern (" + TargetPattern.FORMS + ")");
            }
            for (Node e : entries) {
                String text = e.string(null);
                if (text != null && TargetPattern.parse(text).isEmpty()) {
                    e.error("must be a target pattern such as " + TargetPattern.FORMS + ", got " + Node.quote(text));
                } else if (text != null) {
                    allow.add(text);
                }
            }
        }
        Node p = t.get("connection_pool").mapping(POOL_KEYS);
        TunnelConfig.TargetPool pool = new TunnelConfig.TargetPool(
                p.get("enabled").bool(profile.pool()),
                p.get("size").integer(profile.poolSize(), 1, 10_000),
                p.get("idle_timeout").duration(DEFAULT_POOL.idleTimeout(), "1s", "1h"));
        return new TunnelConfig(TunnelConfig.Role.SERVER, listen, null, 0, tls, tokens, Optional.empty(), allow,
                List.of(), shared.limits(), pool, shared.packetWorkers(), profile, shared.udp(), shared.compression());
    }

    private TunnelConfig client(Node t, Shared shared, Set<String> takenNames) {
        TunnelProfile profile = shared.profile();
        Node s = t.get("server").mapping(ENDPOINT_KEYS);
        TunnelConfig.Endpoint server = null;
        if (t.get("server").required()) {
            Node host = s.get("host");
            Node port = s.get("port");
            String h = host.required() ? host.string("localhost") : "localhost";
            int p = port.required() ? port.integer(1, 1, 65535) : 1;
            server = new TunnelConfig.Endpoint(h, p, s.get("server_name").string(h));
        }
        int connections = t.get("connections").integer(profile.connections(), 1, 64);
        Node tlsNode = t.get("tls").mapping(CLIENT_TLS_KEYS);
        Node cert = tlsNode.get("cert");
        Node key = tlsNode.get("key");
        if (cert.present() != key.present()) {
            (cert.present() ? key : cert).error("required when tunnel.tls."
                    + (cert.present() ? "cert" : "key") + " is set");
        }
        TunnelConfig.Tls tls = new TunnelConfig.Tls(optionalFile(cert), optionalFile(key),
                tlsNode.get("key_password").optionalString(), optionalFile(tlsNode.get("ca")),
                groups(tlsNode.get("named_groups")), provider(tlsNode.get("provider")));
        Optional<String> token = t.get("token").optionalString();
        Node listenersNode = t.get("listeners");
        List<TunnelConfig.Listener> listeners = new ArrayList<>();
        if (listenersNode.required()) {
            List<Node> elements = listenersNode.elements();
            if (elements.isEmpty() && !listenersNode.failed()) {
                listenersNode.error("must have at least 1 listener");
            }
            Set<String> names = new HashSet<>(takenNames);
            for (int i = 0; i < elements.size(); i++) {
                Node l = elements.get(i).mapping(LISTENER_KEYS);
                if (l.failed()) {
                    continue;
                }
                Node nameNode = l.get("name");
                String name = nameNode.required() ? nameNode.string("tunnel-" + i) : "tunnel-" + i;
                if (!nameNode.failed() && !NAME.matcher(name).matches()) {
                    nameNode.error("must match [a-z0-9_-]+, got " + Node.quote(name));
                } else if (!names.add(name) && !nameNode.failed()) {
                    nameNode.error("duplicate listener name " + Node.quote(name));
                }
                String host = l.get("host").string("127.0.0.1");
                Node portNode = l.get("port");
                int port = portNode.required() ? portNode.integer(0, 0, 65535) : 0;
                Node protocolNode = l.get("protocol");
                TunnelConfig.Protocol protocol = TunnelConfig.Protocol.valueOf(protocolNode
                        .oneOf("tcp", List.of("tcp", "socks5", "udp")).toUpperCase(Locale.ROOT));
                boolean socks5 = protocol == TunnelConfig.Protocol.SOCKS5;
                Node targetNode = l.get("target");
                String targetHost = "invalid";
                int targetPort = 1;
                if (socks5) {
                    if (targetNode.present()) {
                        targetNode.error("must be absent when protocol is socks5 (each connection names its target)");
                    }
                } else if (targetNode.required()) {
                    String text = targetNode.string(null);
                    Optional<String[]> split = TargetPattern.splitHostPort(text);
                    int parsedPort = split.map(hp -> parsePort(hp[1])).orElse(-1);
                    if (text != null && parsedPort < 1) {
                        targetNode.error("must be host:port with port 1..65535, got " + Node.quote(text));
                    } else if (text != null) {
                        targetHost = split.get()[0];
                        targetPort = parsedPort;
                    }
                }
                listeners.add(new TunnelConfig.Listener(name, host, port, targetHost, targetPort, protocol));
            }
        }
        return new TunnelConfig(TunnelConfig.Role.CLIENT, null, server, connections, tls, List.of(), token,
                List.of(), listeners, shared.limits(), DEFAULT_POOL, shared.packetWorkers(), profile, shared.udp(),
                shared.compression());
    }

    private TunnelConfig.Limits limits(Node t, boolean server, TunnelProfile profile) {
        int maxStreams = t.get("max_concurrent_streams")
                .integer(profile.maxConcurrentStreams(server), 1, 1_000_000);
        Node maxFrameNode = t.get("max_frame");
        // RFC 9113 6.5.2: SETTINGS_MAX_FRAME_SIZE is 2^14..2^24-1.
        int maxFrame = maxFrameNode.size(1024 * 1024, "16KiB", "16777215B");
        Node chunkNode = t.get("chunk_bytes");
        int chunk = chunkNode.size(profile.chunkBytes(), "1KiB", "16MiB");
        if (chunk > maxFrame && !chunkNode.failed() && !maxFrameNode.failed()) {
            (chunkNode.present() ? chunkNode : maxFrameNode).error(chunkNode.present()
                    ? "must be at most tunnel.max_frame (" + Units.formatSize(maxFrame) + "), got " + chunkNode.raw()
                    : "must be at least tunnel.chunk_bytes (" + Units.formatSize(chunk) + "), got "
                            + maxFrameNode.raw());
        }
        Node streamNode = t.get("stream_window");
        Node connNode = t.get("connection_window");
        int streamWindow = streamNode.size(profile.streamWindow(), "64KiB", "1GiB");
        int connectionWindow = connNode.size(profile.connectionWindow(), "64KiB", "1GiB");
        if (connectionWindow < streamWindow && !streamNode.failed() && !connNode.failed()) {
            (connNode.present() ? connNode : streamNode).error(connNode.present()
                    ? "must be at least tunnel.stream_window (" + Units.formatSize(streamWindow) + "), got "
                            + connNode.raw()
                    : "must be at most tunnel.connection_window (" + Units.formatSize(connectionWindow) + "), got "
                            + streamNode.raw());
        }
        Duration handshake = t.get("handshake_timeout").duration(Duration.ofSeconds(3), "100ms", "1m");
        Duration connect = t.get("connect_timeout").duration(Duration.ofSeconds(5), "1ms", "10m");
        Duration idle = t.get("idle_timeout").duration(Duration.ofHours(1), "1s", "7d");
        Duration ping = t.get("ping_interval").duration(Duration.ofSeconds(30), "1s", "1h");
        int attempts = t.get("max_retry_attempts").integer(5, 0, 100);
        Node initialNode = t.get("retry_initial_backoff");
        Node maxNode = t.get("retry_max_backoff");
        Duration initial = initialNode.duration(profile.retryInitial(), "1ms", "1m");
        Duration max = maxNode.duration(Duration.ofSeconds(10), "1ms", "10m");
        if (initial.compareTo(max) > 0 && !initialNode.failed() && !maxNode.failed()) {
            (initialNode.present() ? initialNode : maxNode).error(initialNode.present()
                    ? "must be at most tunnel.retry_max_backoff (" + Units.formatDuration(max) + "), got "
                            + initialNode.raw()
                    : "must be at least tunnel.retry_initial_backoff (" + Units.formatDuration(initial) + "), got "
                            + maxNode.raw());
        }
        return new TunnelConfig.Limits(maxStreams, maxFrame, chunk, streamWindow, connectionWindow, handshake,
                connect, idle, ping, attempts, initial, max);
    }

    private List<String> tokens(Node node) {
        List<String> out = new ArrayList<>();
        for (Node e : node.oneOrMany()) {
            String token = e.string(null);
            if (token != null && token.length() < 16) {
                e.error("must be at least 16 characters (a guessable token is no authentication), got "
                        + token.length());
            } else if (token != null) {
                out.add(token);
            }
        }
        return out;
    }

    private List<String> groups(Node node) {
        List<String> out = new ArrayList<>();
        for (Node e : node.oneOrMany()) {
            String g = e.string(null);
            if (g != null && !GROUP.matcher(g).matches()) {
                e.error("must be a TLS named group such as X25519MLKEM768, x25519 or secp256r1, got " + Node.quote(g));
            } else if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    private static TunnelConfig.TlsProvider provider(Node node) {
        return TunnelConfig.TlsProvider.valueOf(node.oneOf("auto", List.of("auto", "openssl", "jdk"))
                .toUpperCase(Locale.ROOT));
    }

    private Optional<Path> optionalFile(Node n) {
        return n.present() ? Optional.of(files.readableFile(n)) : Optional.empty();
    }

    private static TunnelConfig.Tls emptyTls() {
        return new TunnelConfig.Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                TunnelConfig.TlsProvider.AUTO);
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
