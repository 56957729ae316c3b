package io.sluice.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tunnel ({@code tunnel:}, issue 9): TCP connections carried as HTTP/2 extended-CONNECT streams over a few
 * long-lived TLS connections. One process plays one {@link Role}; the keys of the other role must be absent.
 *
 * @param role                 client (local listeners, opens streams) or server (terminates streams, dials targets)
 * @param listen               server: where the TLS listener binds
 * @param server               client: the tunnel server to connect to
 * @param connections          client: how many TLS connections to keep up (streams spread over them)
 * @param tls                  PEM files: the server's certificate/key (+ client CA for mutual TLS); the client's
 *                             trusted CA (+ certificate/key for mutual TLS)
 * @param tokens               server: bearer tokens accepted (an alternative to mutual TLS)
 * @param token                client: the bearer token it sends on every stream
 * @param allow                server: {@code host:port} patterns a stream may target; nothing else is dialled
 * @param listeners            client: local TCP listeners, each forwarding to one target through the tunnel
 * @param limits               stream caps, frame sizes, windows, timeouts, retries
 * @param targetPool           server: pre-connected idle target connections
 */
public record TunnelConfig(
        Role role,
        Endpoint listen,
        Endpoint server,
        int connections,
        Tls tls,
        List<String> tokens,
        Optional<String> token,
        List<String> allow,
        List<Listener> listeners,
        Limits limits,
        TargetPool targetPool) {

    public TunnelConfig {
        Objects.requireNonNull(role, "role");
        tokens = List.copyOf(tokens);
        allow = List.copyOf(allow);
        listeners = List.copyOf(listeners);
    }

    public enum Role { CLIENT, SERVER }

    /** A host and port; {@code serverName} is the TLS name the client checks (defaults to the host). */
    public record Endpoint(String host, int port, String serverName) {}

    /**
     * @param certificate server: its chain; client: its own chain for mutual TLS (optional)
     * @param privateKey  the key of {@code certificate}
     * @param keyPassword of an encrypted key
     * @param trust       server: CA that signs client certificates (mutual TLS on); client: CA of the server
     *                    certificate (absent: the JDK's default trust store)
     * @param namedGroups TLS key-exchange groups offered, in order (e.g. X25519MLKEM768, x25519); empty: JDK default
     */
    public record Tls(Optional<Path> certificate, Optional<Path> privateKey, Optional<String> keyPassword,
                      Optional<Path> trust, List<String> namedGroups) {
        public Tls {
            namedGroups = List.copyOf(namedGroups);
        }
    }

    /**
     * A client listener: connections accepted on {@code host:port} are carried to {@code targetHost:targetPort};
     * with {@code socks5}, each connection names its own target in a SOCKS5 CONNECT (RFC 1928, no authentication)
     * and the target fields are unused.
     */
    public record Listener(String name, String host, int port, String targetHost, int targetPort, boolean socks5) {
        public Listener(String name, String host, int port, String targetHost, int targetPort) {
            this(name, host, port, targetHost, targetPort, false);
        }

        public String target() {
            return socks5 ? "socks5" : targetHost.contains(":") ? "[" + targetHost + "]:" + targetPort
                    : targetHost + ":" + targetPort;
        }
    }

    /**
     * @param maxConcurrentStreams beyond it a new stream is refused at once (10,000 server, 5,000 client)
     * @param maxFrame             largest HTTP/2 frame accepted (SETTINGS_MAX_FRAME_SIZE); larger ends the connection
     * @param chunkBytes           largest read from a TCP socket, hence largest DATA frame written
     * @param streamWindow         per-stream flow-control window
     * @param connectionWindow     per-connection flow-control window
     * @param handshakeTimeout     TLS handshake plus HTTP/2 preface
     * @param connectTimeout       server: dialling a target
     * @param idleTimeout          a stream with no bytes either way for this long is closed
     * @param pingInterval         client: HTTP/2 PING on an idle tunnel connection; no answer within it closes it
     * @param maxRetryAttempts     opening a stream (no connection up, or the target refused) is tried this many times
     * @param retryInitialBackoff  first backoff, doubling (full jitter) for streams and reconnects
     * @param retryMaxBackoff      backoff ceiling
     */
    public record Limits(int maxConcurrentStreams, int maxFrame, int chunkBytes, int streamWindow,
                         int connectionWindow, Duration handshakeTimeout, Duration connectTimeout,
                         Duration idleTimeout, Duration pingInterval, int maxRetryAttempts,
                         Duration retryInitialBackoff, Duration retryMaxBackoff) {}

    /**
     * Seed 003's target connection pool: up to {@code size} idle connections per target, dialled ahead of need
     * (one more each time a stream takes one), closed after {@code idleTimeout}. Each serves one stream only.
     */
    public record TargetPool(boolean enabled, int size, Duration idleTimeout) {}
}
