package io.sluice.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.pool.PoolMetricsTracker;
import io.sluice.core.pool.PoolStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Publishes one pool's figures to Micrometer, as HikariCP's {@code MicrometerMetricsTracker}:
 * gauges for total, active, idle and pending connections, the acquire timer, and counters for
 * timeouts, opened connections and evictions by reason, all tagged {@code backend=<pool name>}.
 * Names are in {@link MetricNames}. {@link #close()} removes the meters, so a backend that is
 * reconfigured away leaves nothing behind.
 *
 * <p>Usual use: {@code UpstreamPool.builder(name, factory).metrics(MicrometerPoolMetrics.factory(registry))}.
 */
public final class MicrometerPoolMetrics implements PoolMetricsTracker {

    private final MeterRegistry registry;
    private final Timer acquire;
    private final Counter timeouts;
    private final Counter opened;
    private final Map<EvictionReason, Counter> evictions = new EnumMap<>(EvictionReason.class);
    private final List<Meter> meters = new ArrayList<>();

    /** Registers the meters for pool {@code backend}; {@code stats} is read when a gauge is scraped. */
    public MicrometerPoolMetrics(MeterRegistry registry, String backend, Supplier<PoolStats> stats) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(stats, "stats");
        Tags tags = Tags.of(MetricNames.TAG_BACKEND, Objects.requireNonNull(backend, "backend"));

        gauge(MetricNames.POOL_CONNECTIONS, "Open upstream connections, idle, borrowed or being opened", tags, stats, PoolStats::total);
        gauge(MetricNames.POOL_CONNECTIONS_ACTIVE, "Borrowed upstream connections", tags, stats, PoolStats::active);
        gauge(MetricNames.POOL_CONNECTIONS_IDLE, "Idle upstream connections", tags, stats, PoolStats::idle);
        gauge(MetricNames.POOL_CONNECTIONS_PENDING, "Requests waiting for an upstream connection", tags, stats, PoolStats::pending);

        acquire = keep(Timer.builder(MetricNames.POOL_ACQUIRE)
                .description("Time from asking the pool for a connection to having one")
                .tags(tags)
                .register(registry));
        timeouts = keep(Counter.builder(MetricNames.POOL_TIMEOUTS)
                .description("Acquires that gave up after wait_timeout")
                .tags(tags)
                .register(registry));
        opened = keep(Counter.builder(MetricNames.POOL_CONNECTIONS_OPENED)
                .description("Upstream connections opened")
                .tags(tags)
                .register(registry));
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, keep(Counter.builder(MetricNames.POOL_EVICTIONS)
                    .description("Upstream connections closed by the pool, by reason")
                    .tags(tags)
                    .tag(MetricNames.TAG_REASON, reason.name().toLowerCase(Locale.ROOT))
                    .register(registry)));
        }
    }

    /** A factory for the pool builder: one tracker per pool, tagged with the pool's name, gauges on its live stats. */
    public static PoolMetricsTracker.Factory factory(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return (poolName, stats) -> new MicrometerPoolMetrics(registry, poolName, stats);
    }

    private void gauge(String name, String description, Tags tags, Supplier<PoolStats> stats, ToIntFunction<PoolStats> figure) {
        // Strong: the supplier is often a lambda nobody else holds, and a weak gauge would read NaN once it is collected.
        keep(Gauge.builder(name, stats, s -> figure.applyAsInt(s.get()))
                .strongReference(true)
                .description(description)
                .tags(tags)
                .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void recordAcquire(long elapsedNanos) {
        acquire.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordTimeout() {
        timeouts.increment();
    }

    @Override
    public void recordCreated() {
        opened.increment();
    }

    @Override
    public void recordEviction(EvictionReason reason) {
        evictions.get(reason).increment();
    }

    @Override
    public void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }
}
