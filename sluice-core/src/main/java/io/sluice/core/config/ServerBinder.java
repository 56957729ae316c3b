package io.sluice.core.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code server:}: event-loop settings and the listeners with their TLS files. */
final class ServerBinder {

    static final List<String> SERVER_KEYS =
            List.of("workers", "backlog", "buffer_size", "max_buffer_size", "drain_timeout", "listeners",
                    "max_concurrent_streams", "max_queue", "queue_timeout");
    static final List<String> LISTENER_KEYS = List.of("name", "host", "port", "protocol", "http2", "tls");
    static final List<String> TLS_KEYS = List.of("cert", "key", "key_password");

    private static final List<String> PROTOCOLS = List.of("http", "https");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
    private static final int MAX_WORKERS = 1024;

    private final Path baseDir;

    /** @param baseDir where relative TLS paths point: the config file's directory */
    ServerBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    ServerConfig bind(Node node) {
        Node s = node.mapping(SERVER_KEYS);
        ServerConfig d = Defaults.SERVER;
        int workers = s.get("workers").integerOr("auto", ServerConfig.AUTO_WORKERS, d.workers(), 1, MAX_WORKERS);
        int backlog = s.get("backlog").integer(d.backlog(), 1, 65535);
        Node buffer = s.get("buffer_size");
        Node maxBuffer = s.get("max_buffer_size");
        int bufferSize = buffer.size(d.bufferSize(), "256B", "16MiB");
        int maxBufferSize = maxBuffer.size(d.maxBufferSize(), "256B", "16MiB");
        if (bufferSize > maxBufferSize && !buffer.failed() && !maxBuffer.failed()) {
            // Blame the key the operator wrote: a default they never saw is no place to point them.
            if (buffer.present()) {
                buffer.error("must be at most server.max_buffer_size (" + Units.formatSize(maxBufferSize)
                        + "), got " + buffer.raw());
            } else {
                maxBuffer.error("must be at least server.buffer_size (" + Units.formatSize(bufferSize)
                        + "), got " + maxBuffer.raw());
            }
        }
        Duration drain = s.get("drain_timeout").duration(d.drainTimeout(), "0s", "1h");
        int maxStreams = s.get("max_concurrent_streams")
                .integer(ServerConfig.DEFAULT_MAX_CONCURRENT_STREAMS, 1, 1_000_000);
        // Writing either queue key turns the queue on; a timeout alone queues up to max_concurrent_streams requests.
        Node maxQueueNode = s.get("max_queue");
        Node queueTimeoutNode = s.get("queue_timeout");
        int maxQueue = maxQueueNode.integer(queueTimeoutNode.present() ? maxStreams : 0, 0, 1_000_000);
        Duration queueTimeout = queueTimeoutNode.duration(ServerConfig.DEFAULT_QUEUE_TIMEOUT, "1ms", "10m");
        return new ServerConfig(workers, backlog, bufferSize, maxBufferSize, drain, listeners(s.get("listeners")),
                maxStreams, maxQueue, queueTimeout);
    }

    private List<ListenerConfig> listeners(Node node) {
        if (!node.present()) {
            return Defaults.SERVER.listeners();
        }
        List<Node> elements = node.elements();
        if (elements.isEmpty() && !node.failed()) {
            node.error("must have at least 1 listener");
        }
        List<ListenerConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> bound = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            Node l = elements.get(i).mapping(LISTENER_KEYS);
            if (l.failed()) {
                continue; // its keys would all read as missing: one error for it is enough
            }
            ListenerConfig listener = listener(l, i, elements.size());
            out.add(listener);
            Node name = l.get("name");
            if (!names.add(listener.name()) && !name.failed()) {
                name.error("duplicate listener name " + Node.quote(listener.name()));
            }
            Node port = l.get("port");
            String socket = listener.host() + ":" + listener.port();
            if (listener.port() != 0 && !port.failed()) {
                String other = bound.putIfAbsent(socket, listener.name());
                if (other != null) {
                    port.error("must differ from listener " + Node.quote(other) + " on the same host, got "
                            + listener.port());
                }
            }
        }
        // Only reached with errors recorded; the record still wants a listener.
        return out.isEmpty() ? Defaults.SERVER.listeners() : out;
    }

    private ListenerConfig listener(Node l, int index, int count) {
        ListenerConfig d = Defaults.LISTENER;
        Node protocolNode = l.get("protocol");
        String protocol = protocolNode.oneOf("http", PROTOCOLS);
        Node nameNode = l.get("name");
        String name;
        if (nameNode.present()) {
            name = nameNode.string("listener-" + index);
            if (!nameNode.failed() && !NAME.matcher(name).matches()) {
                nameNode.error("must match [a-z0-9_-]+, got " + Node.quote(name));
            }
        } else if (count > 1) {
            nameNode.error("required when there is more than one listener");
            name = "listener-" + index;
        } else {
            name = protocol;
        }
        String host = l.get("host").string(d.host());
        int port = l.get("port").integer(d.port(), 0, 65535);
        boolean http2 = l.get("http2").bool(d.http2());
        Node tlsNode = l.get("tls");
        Optional<TlsConfig> tls = Optional.empty();
        if (protocolNode.failed()) {
            if (tlsNode.present()) {
                tls(tlsNode); // still report what is wrong inside it
            }
        } else if (protocol.equals("https")) {
            if (tlsNode.required()) {
                tls = Optional.of(tls(tlsNode));
            }
        } else if (tlsNode.present()) {
            tlsNode.error("must be absent when protocol is " + protocol + ", got a mapping");
        }
        ListenerConfig.Protocol p = ListenerConfig.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        return new ListenerConfig(name, host, port, p, http2, tls);
    }

    private TlsConfig tls(Node node) {
        Node t = node.mapping(TLS_KEYS);
        if (t.failed()) {
            return new TlsConfig(Path.of(""), Path.of(""), Optional.empty());
        }
        Path cert = readableFile(t.get("cert"));
        Path key = readableFile(t.get("key"));
        return new TlsConfig(cert, key, t.get("key_password").optionalString());
    }

    /** Checked now so a typo in a path fails the load, not the first TLS handshake. */
    Path readableFile(Node n) {
        Path placeholder = Path.of("");
        if (!n.required()) {
            return placeholder;
        }
        String written = n.string(null);
        if (written == null) {
            return placeholder;
        }
        Path file;
        try {
            file = baseDir.resolve(written).normalize();
        } catch (InvalidPathException e) {
            n.error("must be a readable file, got " + Node.quote(written) + " (not a valid path)");
            return placeholder;
        }
        String problem = Files.isDirectory(file) ? "is a directory"
                : !Files.exists(file) ? "does not exist"
                : !Files.isReadable(file) ? "is not readable"
                : null;
        if (problem != null) {
            n.error("must be a readable file, got " + Node.quote(written) + " (" + file + " " + problem + ")");
        }
        return file;
    }
}
