package io.sluice.gateway.l4;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-listener UDP figures: sessions (opened, active, expired), datagrams and bytes forwarded each way, and
 * datagrams dropped by reason (seed 003's {@code droppedPackets}).
 */
final class UdpStats {

    /** Why a datagram was not forwarded. */
    enum Drop {
        /** The session's send queue in that direction was full. */
        QUEUE_FULL("queue_full"),
        /** A new client arrived while the session table was full. */
        SESSION_LIMIT("session_limit"),
        /** A new client arrived while no backend was usable. */
        NO_BACKEND("no_backend"),
        /** The socket refused the datagram (e.g. the backend's port answered ICMP unreachable). */
        SEND_FAILED("send_failed");

        final String tag;

        Drop(String tag) {
            this.tag = tag;
        }
    }

    private final Counter sessions;
    private final Counter expired;
    private final Counter datagramsIn;
    private final Counter datagramsOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter[] dropped = new Counter[Drop.values().length];
    private final AtomicInteger active = new AtomicInteger();

    UdpStats(MeterRegistry registry, String listener) {
        sessions = Counter.builder("sluice.udp.sessions").description("UDP client sessions opened")
                .tag("listener", listener).register(registry);
        expired = Counter.builder("sluice.udp.sessions.expired").description("UDP sessions closed after idle_timeout")
                .tag("listener", listener).register(registry);
        datagramsIn = datagrams(registry, listener, "client_to_backend");
        datagramsOut = datagrams(registry, listener, "backend_to_client");
        bytesIn = bytes(registry, listener, "client_to_backend");
        bytesOut = bytes(registry, listener, "backend_to_client");
        for (Drop d : Drop.values()) {
            dropped[d.ordinal()] = Counter.builder("sluice.udp.dropped")
                    .description("UDP datagrams dropped instead of buffered (droppedPackets)")
                    .tag("listener", listener).tag("reason", d.tag).register(registry);
        }
        registry.gauge("sluice.udp.sessions.active", List.of(Tag.of("listener", listener)), active);
    }

    private static Counter datagrams(MeterRegistry registry, String listener, String direction) {
        return Counter.builder("sluice.udp.datagrams").description("UDP datagrams forwarded")
                .tag("listener", listener).tag("direction", direction).register(registry);
    }

    private static Counter bytes(MeterRegistry registry, String listener, String direction) {
        return Counter.builder("sluice.udp.bytes").description("UDP payload bytes forwarded").baseUnit("bytes")
                .tag("listener", listener).tag("direction", direction).register(registry);
    }

    void opened() {
        sessions.increment();
        active.incrementAndGet();
    }

    void closed(boolean expiredIdle) {
        active.decrementAndGet();
        if (expiredIdle) {
            expired.increment();
        }
    }

    void forwarded(boolean fromClient, int bytes) {
        (fromClient ? datagramsIn : datagramsOut).increment();
        (fromClient ? bytesIn : bytesOut).increment(bytes);
    }

    void dropped(Drop reason) {
        dropped[reason.ordinal()].increment();
    }
}
