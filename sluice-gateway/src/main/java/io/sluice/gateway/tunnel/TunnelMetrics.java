package io.sluice.gateway.tunnel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tunnel's figures (docs/METRICS.md, "Tunnel"), all tagged with the {@code role} of this process: streams
 * active/opened/refused (by reason), frames rejected (by HTTP/2 error), bytes each way, tunnel connections up,
 * reconnects, and the handshake latency histogram (TCP connect to the peer's HTTP/2 SETTINGS).
 */
public final class TunnelMetrics {

    /** Why a stream was refused: the {@code reason} tag of {@code sluice_tunnel_streams_refused_total}. */
    public enum Refusal {
        /** max_concurrent_streams reached */
        LIMIT,
        /** no bearer token or client certificate accepted */
        UNAUTHENTICATED,
        /** the target matches no allow-list pattern */
        FORBIDDEN,
        /** not an extended CONNECT for connect-tcp, or no valid :authority */
        BAD_REQUEST,
        /** the server could not connect to the target */
        TARGET_UNREACHABLE,
        /** client: no tunnel connection came up within the retries */
        NO_TUNNEL,
        /** client: the server answered with a non-2xx status, or the stream failed before it answered */
        SERVER_REFUSED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a datagram was not carried: the {@code reason} tag of {@code sluice_tunnel_udp_dropped_total}. */
    public enum DatagramDrop {
        /** the session's send queue in that direction was full (seed 003's droppedPackets) */
        QUEUE_FULL,
        /** client: a new client address while udp.max_sessions sessions were open */
        SESSION_LIMIT,
        /** client: no tunnel connection was up, or max_concurrent_streams streams were open */
        NO_TUNNEL,
        /** client: the server refused the session's stream (it stays refused until it idles out) */
        REFUSED,
        /** the socket refused the datagram (e.g. the target answered ICMP port unreachable) */
        SEND_FAILED,
        /** a DATAGRAM capsule with a context id other than 0 (RFC 9298: none is defined) */
        UNKNOWN_CONTEXT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private volatile String tlsProvider;
    private final String role;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger connectionsUp = new AtomicInteger();
    private final Counter opened;
    private final Counter reconnects;
    private final Counter bytesUp;
    private final Counter bytesDown;
    private final Timer handshake;
    private final ConcurrentMap<Refusal, Counter> refused = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final AtomicInteger udpSessionsActive = new AtomicInteger();
    private final Counter udpSessions;
    private final Counter datagramsUp;
    private final Counter datagramsDown;
    private final Counter[] datagramsDropped = new Counter[DatagramDrop.values().length];
    private final Counter zstdStreams;
    private final Counter[] zstdBytes = new Counter[4]; // [direction][plain, compressed]

    /** The {@code provider} tag of {@code sluice_tunnel_tls_provider}; null before the tunnel started. */
    public String tlsProvider() {
        return tlsProvider;
    }

    /** {@code sluice_tunnel_tls_provider{provider}} = 1: which implementation carries this side's TLS. */
    void tlsProvider(String provider) {
        tlsProvider = provider;
        Gauge.builder("sluice.tunnel.tls.provider", () -> 1)
                .description("The TLS implementation of the tunnel (openssl, jdk or bcjsse); always 1")
                .tag("role", role).tag("provider", provider).register(registry);
    }

    public TunnelMetrics(MeterRegistry registry, String role) {
        this.registry = registry;
        this.role = role;
        Gauge.builder("sluice.tunnel.streams.active", active, AtomicInteger::get)
                .description("Tunnel streams open now").tag("role", role).register(registry);
        Gauge.builder("sluice.tunnel.connections.active", connectionsUp, AtomicInteger::get)
                .description("Tunnel TLS connections up (HTTP/2 settings exchanged)").tag("role", role)
                .register(registry);
        opened = Counter.builder("sluice.tunnel.streams.opened").description("Tunnel streams that carried a connection")
                .tag("role", role).register(registry);
        reconnects = Counter.builder("sluice.tunnel.reconnects")
                .description("Tunnel connection attempts after the first, per connection slot").tag("role", role)
                .register(registry);
        bytesUp = Counter.builder("sluice.tunnel.bytes").baseUnit("bytes")
                .description("Bytes carried through the tunnel").tag("role", role)
                .tag("direction", "client_to_target").register(registry);
        bytesDown = Counter.builder("sluice.tunnel.bytes").baseUnit("bytes")
                .description("Bytes carried through the tunnel").tag("role", role)
                .tag("direction", "target_to_client").register(registry);
        handshake = Timer.builder("sluice.tunnel.handshake")
                .description("TCP connect to the peer's HTTP/2 SETTINGS: TCP, TLS and the HTTP/2 preface")
                .tag("role", role)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        Gauge.builder("sluice.tunnel.udp.sessions.active", udpSessionsActive, AtomicInteger::get)
                .description("CONNECT-UDP sessions open now (client: per client address; server: per stream)")
                .tag("role", role).register(registry);
        udpSessions = Counter.builder("sluice.tunnel.udp.sessions")
                .description("CONNECT-UDP sessions opened").tag("role", role).register(registry);
        datagramsUp = Counter.builder("sluice.tunnel.udp.datagrams").description("UDP datagrams carried")
                .tag("role", role).tag("direction", "client_to_target").register(registry);
        datagramsDown = Counter.builder("sluice.tunnel.udp.datagrams").description("UDP datagrams carried")
                .tag("role", role).tag("direction", "target_to_client").register(registry);
        zstdStreams = Counter.builder("sluice.tunnel.zstd.streams")
                .description("Tunnel streams that negotiated zstd compression").tag("role", role).register(registry);
        String[] directions = {"client_to_target", "target_to_client"};
        String[] forms = {"plain", "compressed"};
        for (int d = 0; d < 2; d++) {
            for (int f = 0; f < 2; f++) {
                zstdBytes[d * 2 + f] = Counter.builder("sluice.tunnel.zstd.bytes").baseUnit("bytes")
                        .description("Bytes this side compressed, before (plain) and after (compressed) zstd")
                        .tag("role", role).tag("direction", directions[d]).tag("form", forms[f])
                        .register(registry);
            }
        }
        for (DatagramDrop d : DatagramDrop.values()) {
            datagramsDropped[d.ordinal()] = Counter.builder("sluice.tunnel.udp.dropped")
                    .description("UDP datagrams dropped instead of buffered, by reason (droppedPackets)")
                    .tag("role", role).tag("reason", d.tag()).register(registry);
        }
    }

    void zstdStream() {
        zstdStreams.increment();
    }

    public double zstdStreams() {
        return zstdStreams.count();
    }

    void compressed(boolean towardTarget, int plain, int compressed) {
        int d = towardTarget ? 0 : 2;
        zstdBytes[d].increment(plain);
        zstdBytes[d + 1].increment(compressed);
    }

    /** Bytes this side compressed in one direction: {plain, compressed}. */
    public double[] zstdBytes(boolean towardTarget) {
        int d = towardTarget ? 0 : 2;
        return new double[] {zstdBytes[d].count(), zstdBytes[d + 1].count()};
    }

    void udpSessionOpened() {
        udpSessions.increment();
        udpSessionsActive.incrementAndGet();
    }

    void udpSessionClosed() {
        udpSessionsActive.decrementAndGet();
    }

    public int udpSessionsActive() {
        return udpSessionsActive.get();
    }

    void datagram(boolean towardTarget, int bytes) {
        (towardTarget ? datagramsUp : datagramsDown).increment();
        bytes(towardTarget, bytes);
    }

    public double datagrams(boolean towardTarget) {
        return (towardTarget ? datagramsUp : datagramsDown).count();
    }

    void dropped(DatagramDrop reason) {
        datagramsDropped[reason.ordinal()].increment();
    }

    public double droppedCount(DatagramDrop reason) {
        return datagramsDropped[reason.ordinal()].count();
    }

    /** A stream was admitted; returns false (and counts a refusal) when {@code cap} streams are already open. */
    boolean tryOpen(int cap) {
        while (true) {
            int now = active.get();
            if (now >= cap) {
                refused(Refusal.LIMIT);
                return false;
            }
            if (active.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Pairs with a successful {@link #tryOpen}. */
    void closed() {
        active.decrementAndGet();
    }

    void opened() {
        opened.increment();
    }

    public int activeStreams() {
        return active.get();
    }

    public int connectionsUp() {
        return connectionsUp.get();
    }

    void connectionUp(long handshakeNanos) {
        connectionsUp.incrementAndGet();
        if (handshakeNanos >= 0) {
            handshake.record(handshakeNanos, TimeUnit.NANOSECONDS);
        }
    }

    void connectionDown() {
        connectionsUp.decrementAndGet();
    }

    void reconnect() {
        reconnects.increment();
    }

    public double reconnectCount() {
        return reconnects.count();
    }

    void refused(Refusal reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("sluice.tunnel.streams.refused")
                .description("Tunnel streams refused, by reason").tag("role", role).tag("reason", r.tag())
                .register(registry)).increment();
    }

    public double refusedCount(Refusal reason) {
        Counter c = refused.get(reason);
        return c == null ? 0 : c.count();
    }

    /** An HTTP/2 frame (or the connection it came on) was rejected; {@code reason} is the HTTP/2 error, lower case. */
    void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("sluice.tunnel.frames.rejected")
                .description("HTTP/2 frames rejected by the tunnel, by error").tag("role", role).tag("reason", r)
                .register(registry)).increment();
    }

    public double rejectedCount(String reason) {
        Counter c = rejected.get(reason);
        return c == null ? 0 : c.count();
    }

    void bytes(boolean towardTarget, int n) {
        (towardTarget ? bytesUp : bytesDown).increment(n);
    }

    public Timer handshake() {
        return handshake;
    }
}
