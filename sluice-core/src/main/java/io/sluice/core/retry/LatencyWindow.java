package io.sluice.core.retry;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A cheap recorder of a route's recent upstream latencies that answers "what is the 95th percentile now" for
 * hedging ({@code retry.hedge.delay: p95}). It keeps the last {@value #SIZE} samples in a ring written without locks
 * (a lost or torn sample under a race only blurs an estimate) and recomputes the percentile at most once per
 * {@code refreshNanos}, by one caller, so a request pays one array store to record and one volatile read to ask.
 */
public final class LatencyWindow {

    static final int SIZE = 512;
    /** Fewer samples than this and {@link #p95Nanos(long)} answers the fallback. */
    static final int MIN_SAMPLES = 20;

    private final long[] samples = new long[SIZE];
    private final AtomicInteger next = new AtomicInteger();
    private final ReentrantLock refreshing = new ReentrantLock();
    private final long refreshNanos;
    private final LongSupplier ticker;
    private volatile long p95 = -1;
    private volatile long computedAt;

    public LatencyWindow() {
        this(100_000_000L, System::nanoTime);
    }

    public LatencyWindow(long refreshNanos, LongSupplier ticker) {
        this.refreshNanos = refreshNanos;
        this.ticker = ticker;
        this.computedAt = ticker.getAsLong() - refreshNanos;
    }

    public void record(long nanos) {
        samples[next.getAndIncrement() & (SIZE - 1)] = nanos;
    }

    /** The 95th percentile of the recent samples, or {@code fallback} while there are too few. */
    public long p95Nanos(long fallback) {
        long now = ticker.getAsLong();
        if (now - computedAt >= refreshNanos && refreshing.tryLock()) {
            try {
                computedAt = now;
                p95 = compute();
            } finally {
                refreshing.unlock();
            }
        }
        long value = p95;
        return value < 0 ? fallback : value;
    }

    private long compute() {
        int written = next.get();
        int count = written < 0 || written >= SIZE ? SIZE : written; // negative: wrapped after 2^31 samples
        if (count < MIN_SAMPLES) {
            return -1;
        }
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return copy[(int) Math.ceil(0.95 * count) - 1];
    }
}
