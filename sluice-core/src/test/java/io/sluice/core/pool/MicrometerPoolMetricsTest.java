package io.sluice.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.Future;
import io.sluice.core.metrics.MetricNames;
import io.sluice.core.metrics.MicrometerPoolMetrics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerPoolMetricsTest extends PoolTestSupport {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void publishesPoolFiguresTaggedWithTheBackend() throws Exception {
        UpstreamPool pool = track(builder(config(0, 1)).metrics(MicrometerPoolMetrics.factory(registry)).build());
        assertThat(gauge(MetricNames.POOL_CONNECTIONS)).isZero();

        PooledConnection held = take(pool.acquire(loop1));
        // The acquire time is recorded just after the hand-over completes the borrower's future.
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(registry.get(MetricNames.POOL_ACQUIRE).tag("backend", NAME).timer().count()).isEqualTo(1));
        assertThat(counter(MetricNames.POOL_CONNECTIONS_OPENED)).isEqualTo(1);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS)).isEqualTo(1);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS_ACTIVE)).isEqualTo(1);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS_IDLE)).isZero();

        Future<PooledConnection> waiting = pool.acquire(loop2);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS_PENDING)).isEqualTo(1);
        advance(Duration.ofSeconds(10));
        pool.runHousekeeping();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(counter(MetricNames.POOL_TIMEOUTS)).isEqualTo(1);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS_PENDING)).isZero();

        held.release();
        assertThat(gauge(MetricNames.POOL_CONNECTIONS_IDLE)).isEqualTo(1);
        pool.evictIdle();
        take(pool.acquire(loop1)).discard();
        assertThat(registry.get(MetricNames.POOL_EVICTIONS).tags("backend", NAME, "reason", "evicted").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.POOL_EVICTIONS).tags("backend", NAME, "reason", "discarded").counter().count())
                .isEqualTo(1);
        assertThat(counter(MetricNames.POOL_CONNECTIONS_OPENED)).isEqualTo(2);
        assertThat(gauge(MetricNames.POOL_CONNECTIONS)).isZero();
    }

    @Test
    void closingThePoolRemovesItsMeters() {
        UpstreamPool pool = track(builder(config(0, 1)).metrics(MicrometerPoolMetrics.factory(registry)).build());
        assertThat(registry.find(MetricNames.POOL_ACQUIRE).tag("backend", NAME).meters()).hasSize(1);

        pool.close();

        assertThat(registry.getMeters()).isEmpty();
    }

    private double gauge(String name) {
        return registry.get(name).tag("backend", NAME).gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).tag("backend", NAME).counter().count();
    }
}
