package io.sluice.core.health.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Micrometer meters of active checks: {@code sluice.backend.up{backend}} and
 * {@code sluice.backend.health.transitions{backend,to}}. With no registry every call is a no-op.
 */
public final class HealthMetrics {

    private final MeterRegistry registry; // null: metrics off
    private final List<Meter> meters = new ArrayList<>();

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one backend's transitions. */
    @FunctionalInterface
    public interface Transitions {
        void record(boolean nowHealthy);
    }

    /** Registers the backend's gauge (read from {@code up}) and its transition counters. */
    public synchronized Transitions register(String backend, BooleanSupplier up) {
        if (registry == null) {
            return nowHealthy -> { };
        }
        meters.add(Gauge.builder(MetricNames.BACKEND_UP, up, s -> s.getAsBoolean() ? 1 : 0)
                .strongReference(true)
                .description("1 while active health checks find the backend healthy, else 0")
                .tag(MetricNames.TAG_BACKEND, backend)
                .register(registry));
        Counter down = counter(backend, "unhealthy");
        Counter upCounter = counter(backend, "healthy");
        return nowHealthy -> (nowHealthy ? upCounter : down).increment();
    }

    private Counter counter(String backend, String to) {
        Counter c = Counter.builder(MetricNames.BACKEND_HEALTH_TRANSITIONS)
                .description("Active health check state changes")
                .tag(MetricNames.TAG_BACKEND, backend)
                .tag(MetricNames.TAG_TO, to)
                .register(registry);
        meters.add(c);
        return c;
    }

    /** Removes one backend's gauge and counters (it is no longer watched). */
    public synchronized void unregister(String backend) {
        if (registry == null) {
            return;
        }
        meters.removeIf(m -> {
            if (backend.equals(m.getId().getTag(MetricNames.TAG_BACKEND))) {
                registry.remove(m);
                return true;
            }
            return false;
        });
    }

    public synchronized void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }
}
