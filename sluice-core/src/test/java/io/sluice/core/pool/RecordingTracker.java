package io.sluice.core.pool;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts pool events so tests can assert on them. */
final class RecordingTracker implements PoolMetricsTracker {

    final AtomicInteger acquires = new AtomicInteger();
    final AtomicInteger timeouts = new AtomicInteger();
    final AtomicInteger created = new AtomicInteger();
    private final Map<EvictionReason, AtomicInteger> evictions = new EnumMap<>(EvictionReason.class);

    RecordingTracker() {
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new AtomicInteger());
        }
    }

    int evictions(EvictionReason reason) {
        return evictions.get(reason).get();
    }

    @Override
    public void recordAcquire(long elapsedNanos) {
        acquires.incrementAndGet();
    }

    @Override
    public void recordTimeout() {
        timeouts.incrementAndGet();
    }

    @Override
    public void recordCreated() {
        created.incrementAndGet();
    }

    @Override
    public void recordEviction(EvictionReason reason) {
        evictions.get(reason).incrementAndGet();
    }
}
