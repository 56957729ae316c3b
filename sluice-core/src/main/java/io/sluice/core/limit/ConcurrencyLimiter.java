package io.sluice.core.limit;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A non-blocking semaphore over in-flight requests ({@code server.max_concurrent_streams}, seed 003).
 *
 * <p>{@link #tryAcquire()} answers at once. {@link #acquire(EventExecutor)} may instead queue: up to
 * {@code queue_size} requests wait in FIFO order for a permit, each for at most {@code queue_timeout}, as a
 * Netty {@link Future} completed on the caller's executor; no thread ever waits. A released permit is handed
 * straight to the oldest waiter, so queued requests are not overtaken by new arrivals.
 *
 * <p>Memory stays flat under any overload: beyond the permits at most {@code queue_size} waiters exist, each a few
 * dozen bytes and a timer; everything else is refused at once.
 *
 * <p>Every permit must be {@linkplain Permit#close() closed} exactly once (closing again is harmless); the
 * counts then return to zero, which the tests check.
 */
public final class ConcurrencyLimiter {

    private final String name;
    private final int maxConcurrent;
    private final int queueSize;
    private final long queueTimeoutNanos;
    private final Metrics metrics;
    private final LongSupplier nanoTime;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private ConcurrencyLimiter(String name, int maxConcurrent, int queueSize, Duration queueTimeout,
            Metrics metrics, LongSupplier nanoTime) {
        if (maxConcurrent < 1 || queueSize < 0 || queueTimeout.isNegative()) {
            throw new IllegalArgumentException("max " + maxConcurrent + " (expected: >= 1), queue " + queueSize
                    + " (expected: >= 0), timeout " + queueTimeout + " (expected: >= 0)");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.maxConcurrent = maxConcurrent;
        this.queueSize = queueSize;
        this.queueTimeoutNanos = queueTimeout.toNanos();
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A limiter with no queue: {@link #acquire} behaves as {@link #tryAcquire}. */
    public static ConcurrencyLimiter of(String name, int maxConcurrent) {
        return new ConcurrencyLimiter(name, maxConcurrent, 0, Duration.ZERO, Metrics.NONE, System::nanoTime);
    }

    public static ConcurrencyLimiter of(String name, int maxConcurrent, int queueSize, Duration queueTimeout,
            Metrics metrics) {
        return new ConcurrencyLimiter(name, maxConcurrent, queueSize, queueTimeout, metrics, System::nanoTime);
    }

    /** As {@link #of(String, int, int, Duration, LimitMetrics)} with the clock used to time queue waits. */
    static ConcurrencyLimiter withClock(String name, int maxConcurrent, int queueSize, Duration queueTimeout,
            Metrics metrics, LongSupplier nanoTime) {
        return new ConcurrencyLimiter(name, maxConcurrent, queueSize, queueTimeout, metrics, nanoTime);
    }

    /** A permit, or null when all are taken (answer 503 at once). Never queues. */
    public Permit tryAcquire() {
        if (tryIncrement()) {
            return new Permit();
        }
        metrics.rejected(ConcurrencyRejection.LIMIT);
        return null;
    }

    /** A permit if one is free right now, else null; counts no rejection (the caller goes on to queue). */
    public Permit tryAcquireNow() {
        return tryIncrement() ? new Permit() : null;
    }

    /**
     * A permit now, or once one frees if the queue has room; the future fails with a
     * {@link ConcurrencyLimitException} when the queue is full or after {@code queue_timeout}. Cancelling the
     * future gives up the place in the queue. Listeners run on {@code executor}, the caller's event loop.
     */
    public Future<Permit> acquire(EventExecutor executor) {
        if (tryIncrement()) {
            return executor.newSucceededFuture(new Permit());
        }
        if (queueSize == 0) {
            metrics.rejected(ConcurrencyRejection.LIMIT);
            return executor.newFailedFuture(rejection(ConcurrencyRejection.LIMIT, "all permits in use"));
        }
        if (!tryEnqueue()) {
            metrics.rejected(ConcurrencyRejection.QUEUE_FULL);
            return executor.newFailedFuture(rejection(ConcurrencyRejection.QUEUE_FULL, "queue full"));
        }
        Waiter waiter = new Waiter(executor.newPromise(), nanoTime.getAsLong());
        // The timeout exists before the waiter is visible, so whoever claims it can cancel the timeout.
        waiter.timeout = executor.schedule(() -> expire(waiter), queueTimeoutNanos, TimeUnit.NANOSECONDS);
        waiter.promise.addListener(f -> {
            if (f.isCancelled() && waiter.claim()) {
                leaveQueue(waiter);
            }
        });
        waiters.add(waiter);
        // A permit may have been released between the failed tryIncrement and the add: nobody would hand it
        // over, so look again now that the waiter is visible.
        if (tryIncrement()) {
            if (waiter.claim()) {
                leaveQueue(waiter);
                if (!grant(waiter)) {
                    release();
                }
            } else {
                release(); // the waiter was served or expired meanwhile; this permit is surplus
            }
        }
        return waiter.promise;
    }

    /** Whether requests may wait for a permit ({@code queue_size} above 0). */
    public boolean queues() {
        return queueSize > 0;
    }

    public Duration queueTimeout() {
        return Duration.ofNanos(queueTimeoutNanos);
    }

    /** Requests holding a permit now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests waiting for a permit now. */
    public int queued() {
        return queued.get();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    private boolean tryIncrement() {
        for (int n = inFlight.get(); n < maxConcurrent; n = inFlight.get()) {
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean tryEnqueue() {
        for (int n = queued.get(); n < queueSize; n = queued.get()) {
            if (queued.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Hands the permit to the oldest live waiter, or returns it. */
    private void release() {
        for (Waiter w; (w = waiters.poll()) != null; ) {
            if (w.claim()) {
                queued.decrementAndGet();
                w.timeout.cancel(false);
                if (grant(w)) {
                    return;
                }
            }
        }
        inFlight.decrementAndGet();
        // A waiter may have queued after the poll above found none; it re-checks, but only before our
        // decrement became visible. Serve it if so.
        if (!waiters.isEmpty() && tryIncrement()) {
            release();
        }
    }

    /** Completes the waiter with a permit it now owns; false (and nothing held) if its future was done. */
    private boolean grant(Waiter w) {
        metrics.queueWait(nanoTime.getAsLong() - w.enqueuedNanos);
        Permit permit = new Permit();
        if (w.promise.trySuccess(permit)) {
            return true;
        }
        permit.released.set(true); // never seen by anyone; the caller passes the slot on
        return false;
    }

    private void expire(Waiter w) {
        if (w.claim()) {
            leaveQueue(w);
            metrics.rejected(ConcurrencyRejection.QUEUE_TIMEOUT);
            w.promise.tryFailure(rejection(ConcurrencyRejection.QUEUE_TIMEOUT,
                    "no permit within " + Duration.ofNanos(queueTimeoutNanos).toMillis() + "ms"));
        }
    }

    private void leaveQueue(Waiter w) {
        queued.decrementAndGet();
        waiters.remove(w);
        w.timeout.cancel(false);
    }

    private ConcurrencyLimitException rejection(ConcurrencyRejection reason, String what) {
        return new ConcurrencyLimitException(reason, name + ": " + what + " (inFlight=" + inFlight.get()
                + ", max=" + maxConcurrent + ", queued=" + queued.get() + ", queueSize=" + queueSize + ")");
    }

    /** One request's slot; close it when the request ends, however it ends. */
    public final class Permit implements AutoCloseable {

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {}

        /** Returns the slot, to the oldest waiter if any. Idempotent. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release();
            }
        }
    }

    private static final class Waiter {
        final Promise<Permit> promise;
        final long enqueuedNanos;
        ScheduledFuture<?> timeout; // set before the waiter is published through the queue
        private final AtomicBoolean claimed = new AtomicBoolean();

        Waiter(Promise<Permit> promise, long enqueuedNanos) {
            this.promise = promise;
            this.enqueuedNanos = enqueuedNanos;
        }

        /** Exactly one of hand-over, timeout, cancellation and the enqueue re-check wins the waiter. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    /** What the limiter reports; every method does nothing by default. Called on any thread: must not block. */
    public interface Metrics {

        Metrics NONE = new Metrics() {};

        /** A request was refused (503-worthy). */
        default void rejected(ConcurrencyRejection reason) {}

        /** A request that got a permit after queueing waited this long for it. */
        default void queueWait(long nanos) {}
    }
}
