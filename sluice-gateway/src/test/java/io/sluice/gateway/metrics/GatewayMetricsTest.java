package io.sluice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void requestsAreCountedPerRouteMethodAndStatusClass() {
        metrics.requestCompleted("api", "GET", 200, 1_000_000);
        metrics.requestCompleted("api", "GET", 201, 1_000_000);
        metrics.requestCompleted("api", "GET", 404, 1_000_000);
        metrics.requestCompleted("web", "PUT", 502, 1_000_000);

        assertThat(requests("api", "GET", "2xx").count()).isEqualTo(2);
        assertThat(requests("api", "GET", "4xx").count()).isEqualTo(1);
        assertThat(requests("web", "PUT", "5xx").count()).isEqualTo(1);
        assertThat(requests("api", "GET", "2xx").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
    }

    @Test
    void unboundedTagValuesAreClampedSoClientsCannotGrowTheRegistry() {
        metrics.requestCompleted(null, "BREW", 0, 1);
        metrics.requestCompleted("api", "PROPFIND", 999, 1);
        metrics.requestCompleted("api", "get", 200, 1);

        assertThat(requests(GatewayMetricNames.UNMATCHED_ROUTE, "OTHER", "unknown").count()).isEqualTo(1);
        assertThat(requests("api", "OTHER", "unknown").count()).isEqualTo(1);
        assertThat(requests("api", "OTHER", "2xx").count()).as("method names are case-sensitive").isEqualTo(1);
    }

    @Test
    void theSameMeterIsReusedForRepeatedCalls() {
        metrics.requestCompleted("api", "GET", 200, 1);
        int meters = metrics.registry().getMeters().size();

        for (int i = 0; i < 100; i++) {
            metrics.requestCompleted("api", "GET", 200 + (i % 3), 1);
            metrics.upstreamResponded("b:1", 1);
            metrics.upstreamError("b:1", GatewayMetricNames.KIND_RESET);
        }

        assertThat(metrics.registry().getMeters()).hasSize(meters + 2);
        assertThat(requests("api", "GET", "2xx").count()).isEqualTo(101);
    }

    @Test
    void upstreamResponsesAndErrorsAreTaggedByBackend() {
        metrics.upstreamResponded("10.0.0.1:80", TimeUnit.MILLISECONDS.toNanos(5));
        metrics.upstreamError("10.0.0.1:80", GatewayMetricNames.KIND_CONNECT_TIMEOUT);
        metrics.upstreamError("10.0.0.1:80", GatewayMetricNames.KIND_CONNECT_TIMEOUT);
        metrics.upstreamError("10.0.0.1:80", "gremlins");

        Timer upstream = metrics.registry().get(GatewayMetricNames.UPSTREAM_RESPONSE)
                .tag(GatewayMetricNames.BACKEND, "10.0.0.1:80").timer();
        assertThat(upstream.count()).isEqualTo(1);
        assertThat(errors("10.0.0.1:80", "connect_timeout").count()).isEqualTo(2.0);
        assertThat(errors("10.0.0.1:80", "other").count()).as("unknown kinds").isEqualTo(1.0);
    }

    @Test
    void downstreamConnectionsTrackActiveAndTotal() {
        metrics.downstreamConnectionOpened();
        metrics.downstreamConnectionOpened();
        metrics.downstreamConnectionClosed();

        assertThat(metrics.registry().get(GatewayMetricNames.DOWNSTREAM_CONNECTIONS_ACTIVE).gauge().value())
                .isEqualTo(1.0);
        assertThat(metrics.registry().get(GatewayMetricNames.DOWNSTREAM_CONNECTIONS).counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        int threads = 8;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    metrics.requestCompleted("api", "GET", 200, 1);
                    metrics.downstreamConnectionOpened();
                    metrics.downstreamConnectionClosed();
                }
            });
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(requests("api", "GET", "2xx").count()).isEqualTo((long) threads * perThread);
        assertThat(metrics.registry().get(GatewayMetricNames.DOWNSTREAM_CONNECTIONS_ACTIVE).gauge().value())
                .isZero();
    }

    @Test
    void bindsJvmAndNettyAllocatorMeters() {
        assertThat(metrics.registry().find("jvm.memory.used").gauges()).isNotEmpty();
        assertThat(metrics.registry().find("jvm.threads.live").gauge()).isNotNull();
        assertThat(metrics.registry().find("process.uptime").timeGauge()).isNotNull();
        assertThat(metrics.registry().find(GatewayMetricNames.NETTY_ALLOCATOR_MEMORY_USED)
                        .tag(GatewayMetricNames.ALLOCATOR, "pooled")
                        .gauges())
                .hasSize(2);
        assertThat(metrics.registry().find(GatewayMetricNames.NETTY_ALLOCATOR_ARENAS).gauges()).hasSize(2);
    }

    private Timer requests(String route, String method, String statusClass) {
        return metrics.registry().get(GatewayMetricNames.REQUESTS)
                .tag(GatewayMetricNames.ROUTE, route)
                .tag(GatewayMetricNames.METHOD, method)
                .tag(GatewayMetricNames.STATUS_CLASS, statusClass)
                .timer();
    }

    private Counter errors(String backend, String kind) {
        return metrics.registry().get(GatewayMetricNames.UPSTREAM_ERRORS)
                .tag(GatewayMetricNames.BACKEND, backend)
                .tag(GatewayMetricNames.KIND, kind)
                .counter();
    }
}
