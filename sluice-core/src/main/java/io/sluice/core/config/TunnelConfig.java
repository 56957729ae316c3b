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
 * @param packetWorkers        event loops of the tunnel's own group (TLS connections, streams, local sockets, UDP
 *                             sockets); 0 means one per core
 * @param profile              the {@code performance.profile} preset the defaults came from
 * @param udp                  CONNECT-UDP sessions: table size, idle timeout, send queue
 * @param compression          per-stream zstd: the client offers it, the server accepts it
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
        TargetPool targetPool,
        int packetWorkers,
        TunnelProfile profile,
        Udp udp,
        Compression compression) {

    public TunnelConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(compression, "compression");
        tokens = List.copyOf(tokens);
        allow = List.copyOf(allow);
        listeners = List.copyOf(listeners);
    }

    public enum Role { CLIENT, SERVER }

    /** {@code packet_workers}, with 0 (the default) resolved to the number of cores. */
    public int effectivePacketWorkers() {
        return packetWorkers > 0 ? packetWorkers : Runtime.getRuntime().availableProcessors();
    }

    /** What a client listener carries: TCP to a fixed target, TCP to a SOCKS5-named target, or UDP datagrams. */
    public enum Protocol { TCP, SOCKS5, UDP }

    /** A host and port; {@code serverName} is the TLS name the client checks (defaults to the host). */
    public record Endpoint(String host, int port, String serverName) {}

    /**
     * @param certificate server: its chain; client: its own chain for mutual TLS (optional)
     * @param privateKey  the key of {@code certificate}
     * @param keyPassword of an encrypted key
     * @param trust       server: CA that signs client certificates (mutual TLS on); client: CA of the server
     *                    certificate (absent: the JDK's default trust store)
     * @param namedGroups TLS key-exchange groups offered, in order (e.g. X25519MLKEM768, x25519); empty: the
     *                    provider's default
     * @param provider    which TLS implementation carries the tunnel
     */
    public record Tls(Optional<Path> certificate, Optional<Path> privateKey, Optional<String> keyPassword,
                      Optional<Path> trust, List<String> namedGroups, TlsProvider provider) {
        public Tls {
            namedGroups = List.copyOf(namedGroups);
            Objects.requireNonNull(provider, "provider");
        }
    }

    /**
     * {@code tls.provider}: {@code openssl} is BoringSSL through netty-tcnative; {@code jdk} is JSSE (the JDK's, or
     * BouncyCastle's for groups only it offers); {@code auto} takes OpenSSL when it loads and knows every named
     * group, else JSSE.
     */
    public enum TlsProvider { AUTO, OPENSSL, JDK }

    /**
     * A client listener: connections accepted on {@code host:port} are carried to {@code targetHost:targetPort};
     * with {@link Protocol#SOCKS5}, each connection names its own target in a SOCKS5 CONNECT (RFC 1928, no
     * authentication) and the target fields are unused; with {@link Protocol#UDP}, the listener is a UDP socket and
     * each client address becomes one CONNECT-UDP stream (RFC 9298) to the target.
     */
    public record Listener(String name, String host, int port, String targetHost, int targetPort,
                           Protocol protocol) {
        public Listener {
            Objects.requireNonNull(protocol, "protocol");
        }

        public Listener(String name, String host, int port, String targetHost, int targetPort) {
            this(name, host, port, targetHost, targetPort, Protocol.TCP);
        }

        public boolean socks5() {
            return protocol == Protocol.SOCKS5;
        }

        public boolean udp() {
            return protocol == Protocol.UDP;
        }

        public String target() {
            return socks5() ? "socks5" : targetHost.contains(":") ? "[" + targetHost + "]:" + targetPort
                    : targetHost + ":" + targetPort;
        }
    }

    /**
     * CONNECT-UDP (RFC 9298) sessions.
     *
     * @param maxSessions client: client addresses with a session (one stream each) per UDP listener, at most;
     *                    a datagram that would open one more is dropped and counted
     * @param idleTimeout a session (client) or UDP stream (server) with no datagram either way for this long ends
     * @param queueSize   datagrams a session may have in flight each way before the next is dropped and counted
     */
    public record Udp(int maxSessions, Duration idleTimeout, int queueSize) {}

    /**
     * Per-stream zstd (seed 004's COMP flag) for TCP streams.
     *
     * @param zstd  client: offer zstd on every TCP stream; server: accept it when offered
     * @param level zstd level the sender compresses with (1..19; reading accepts any)
     */
    public record Compression(boolean zstd, int level) {}

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
