package io.sluice.core.balance;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.pool.UpstreamPool;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A live backend: its configuration, its connection pool and the requests in flight to it.
 * Balancers read the counters; the proxy updates them.
 */
public final class Backend {

    private final BackendConfig config;
    private final String address;
    private final UpstreamPool pool;
    private volatile int weight;
    // A field of its own, not an AtomicInteger: balancers scan it for every backend, and one less pointer to
    // follow per backend is what keeps a least_connections pick over 100 backends under 100 ns.
    private static final AtomicIntegerFieldUpdater<Backend> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(Backend.class, "inFlight");
    private volatile int inFlight;

    // Slow start: after (re)joining, the effective weight ramps from 10 % to 100 % over the window.
    private volatile long slowStartNanos;
    private volatile long joinedAtNanos = Long.MIN_VALUE;

    // Peak EWMA of response latency (Finagle): a sample above the current value is taken at once, others are
    // blended in with a weight that decays with the time since the last sample.
    private final Object latencyLock = new Object();
    private double latencyNanos;
    private long latencyStampNanos;

    public Backend(BackendConfig config, UpstreamPool pool) {
        this.config = config;
        this.address = config.address(); // on every request's path: build the string once
        this.pool = pool;
        this.weight = config.weight();
    }

    public BackendConfig config() {
        return config;
    }

    public String address() {
        return address;
    }

    /** The relative share now: the configured weight until an operator changes it ({@link #weight(int)}). */
    public int weight() {
        return weight;
    }

    /**
     * Changes the weight at runtime (the control API). Balancers that read weights when built (weighted round
     * robin, ring hash) see it once the route rebuilds its balancer.
     */
    public void weight(int weight) {
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("weight must be 1..1000, got " + weight);
        }
        this.weight = weight;
    }

    public UpstreamPool pool() {
        return pool;
    }

    public int inFlight() {
        return inFlight;
    }

    public void requestStarted() {
        IN_FLIGHT.incrementAndGet(this);
    }

    public void requestFinished() {
        IN_FLIGHT.decrementAndGet(this);
    }

    // A backend that answered 429/503 with Retry-After gets no retry before this (System.nanoTime()).
    private volatile long retryNotBeforeNanos;

    /** The backend asked (Retry-After) not to be retried before {@code nanos}. */
    public void retryNotBefore(long nanos) {
        this.retryNotBeforeNanos = nanos;
    }

    /** How long to wait before retrying this backend, 0 when it may be retried now. */
    public long retryWaitNanos(long nowNanos) {
        return Math.max(0, retryNotBeforeNanos - nowNanos);
    }

    /** Sets the slow-start window (zero: none). */
    public void slowStart(java.time.Duration window) {
        this.slowStartNanos = window.toNanos();
    }

    /** The backend became usable (again): slow start, if configured, ramps its weight up from now. */
    public void joined(long nowNanos) {
        this.joinedAtNanos = nowNanos;
    }

    /**
     * When the slow start in progress ends ({@link System#nanoTime()}), or {@link Long#MIN_VALUE} when this backend
     * is at full weight for good (no slow start configured, or never rejoined). Balancers that precompute a schedule
     * from the weights use it to know until when weights still move.
     */
    public long rampEndNanos() {
        long window = slowStartNanos;
        long joined = joinedAtNanos;
        return window <= 0 || joined == Long.MIN_VALUE ? Long.MIN_VALUE : joined + window;
    }

    /** The weight balancers use now; reads the clock only while a slow start is in progress. */
    public int effectiveWeight() {
        if (slowStartNanos <= 0 || joinedAtNanos == Long.MIN_VALUE) {
            return weight();
        }
        return effectiveWeight(System.nanoTime());
    }

    /** The weight balancers use now: the configured one, or less while slow start ramps it up. */
    public int effectiveWeight(long nowNanos) {
        long window = slowStartNanos;
        long joined = joinedAtNanos;
        if (window <= 0 || joined == Long.MIN_VALUE) {
            return weight();
        }
        long elapsed = nowNanos - joined;
        if (elapsed >= window) {
            return weight();
        }
        double share = Math.max(0.1, (double) elapsed / window);
        return Math.max(1, (int) Math.round(weight() * share));
    }

    /** Records one upstream response time (request sent to response head). */
    public void recordLatency(long sampleNanos, long nowNanos, long decayNanos) {
        synchronized (latencyLock) {
            if (latencyStampNanos == 0 || sampleNanos > latencyNanos) {
                latencyNanos = sampleNanos;
            } else {
                double w = Math.exp(-(double) (nowNanos - latencyStampNanos) / decayNanos);
                latencyNanos = latencyNanos * w + sampleNanos * (1 - w);
            }
            latencyStampNanos = nowNanos;
        }
    }

    /**
     * The latency estimate now, decayed toward {@code meanNanos} for the time since the last sample, so that a
     * backend a few slow answers made unpopular regains its share instead of starving for ever. A backend with no
     * sample yet counts as the mean.
     */
    public double latencyEstimate(long nowNanos, double meanNanos, long decayNanos) {
        double value;
        long stamp;
        synchronized (latencyLock) {
            value = latencyNanos;
            stamp = latencyStampNanos;
        }
        if (stamp == 0) {
            return meanNanos;
        }
        double w = Math.exp(-(double) (nowNanos - stamp) / decayNanos);
        return meanNanos + (value - meanNanos) * w;
    }

    /** The raw estimate (no decay), 0 before the first sample; for the route mean. */
    double latencyNanos() {
        synchronized (latencyLock) {
            return latencyNanos;
        }
    }

    @Override
    public String toString() {
        return "Backend[" + address() + "]";
    }
}
