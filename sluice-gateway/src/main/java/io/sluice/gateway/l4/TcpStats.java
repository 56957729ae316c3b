package io.sluice.gateway.l4;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** Per-listener L4 figures: connections (total, active, failed to reach a backend) and bytes each way. */
final class TcpStats {

    private final Counter opened;
    private final Counter failed;
    private final Counter spliced;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final AtomicInteger active = new AtomicInteger();

    TcpStats(MeterRegistry registry, String listener) {
        opened = Counter.builder("sluice.l4.connections").description("L4 client connections accepted")
                .tag("listener", listener).register(registry);
        failed = Counter.builder("sluice.l4.connect.failures").description("L4 connections no backend took")
                .tag("listener", listener).register(registry);
        spliced = Counter.builder("sluice.l4.spliced").description("L4 connection directions switched to splice(2)")
                .tag("listener", listener).register(registry);
        bytesIn = Counter.builder("sluice.l4.bytes").description("Bytes relayed").baseUnit("bytes")
                .tag("listener", listener).tag("direction", "client_to_backend").register(registry);
        bytesOut = Counter.builder("sluice.l4.bytes").description("Bytes relayed").baseUnit("bytes")
                .tag("listener", listener).tag("direction", "backend_to_client").register(registry);
        registry.gauge("sluice.l4.connections.active", java.util.List.of(io.micrometer.core.instrument.Tag.of("listener", listener)), active);
    }

    void opened() {
        opened.increment();
        active.incrementAndGet();
    }

    void closed() {
        active.decrementAndGet();
    }

    void failed() {
        failed.increment();
    }

    void spliced() {
        spliced.increment();
    }

    void bytes(boolean fromClient, int n) {
        (fromClient ? bytesIn : bytesOut).increment(n);
    }
}
