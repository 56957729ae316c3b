package io.sluice.core.balance;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.BalancerConfig;
import io.sluice.core.pool.UpstreamPool;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A live backend of one route: its configuration, its connection pool, and the state balancers read that must
 * outlive a balancer. Balancers are rebuilt whenever the set of usable backends changes, so what they learn
 * about a backend lives here: requests in flight, the peak-EWMA of its latency, and when it last (re)joined.
 *
 * <p>The proxy reports to it: {@link #requestStarted()} / {@link #requestFinished()} around every request,
 * {@link #recordLatency(long)} when a response head arrives, and {@link #rejoined()} when the backend becomes
 * usable again after being unhealthy or drained (which starts its slow start, if the route has one).
 */
public final class Backend {

    /** Where slow start begins: a backend never gets less than this share of its weight. */
    static final double SLOW_START_MIN_FRACTION = 0.1;

    private final BackendConfig config;
    private final String address;
    private final UpstreamPool pool;
    private final LongSupplier nanoClock;
    private final long slowStartNanos;
    private final double ewmaDecayNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Null until the first sample, and again after a rejoin: what it knew then is stale. */
    private final AtomicReference<Latency> latency = new AtomicReference<>();
    /** Set by {@link #rejoined()}; until then the backend is at full weight (all started together). */
    private volatile boolean joining;
    private volatile long joinedAtNanos;

    /** A peak-EWMA value and when it was last updated. Immutable, so readers see the pair whole. */
    private record Latency(double ewmaNanos, long atNanos) {}

    /** A backend with the default balancer options (no slow start) and the system clock. */
    public Backend(BackendConfig config, UpstreamPool pool) {
        this(config, pool, BalancerConfig.defaults(), System::nanoTime);
    }

    private Backend(BackendConfig config, UpstreamPool pool, BalancerConfig balancer, LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.address = config.address(); // on every request's path: build the string once
        this.pool = pool;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.slowStartNanos = balancer.slowStart().toNanos();
        this.ewmaDecayNanos = balancer.ewmaDecay().toNanos();
    }

    /**
     * A backend of a route with these balancer options ({@code slow_start}, {@code ewma_decay}).
     *
     * @param nanoClock {@code System::nanoTime}, or a simulated clock in tests; balancers pass the same clock's
     *                  readings to {@link #effectiveWeight(long)} and {@link #latencyEwmaNanos(long, double)}
     */
    public static Backend of(BackendConfig config, UpstreamPool pool, BalancerConfig balancer, LongSupplier nanoClock) {
        return new Backend(config, pool, balancer, nanoClock);
    }

    public BackendConfig config() {
        return config;
    }

    public String address() {
        return address;
    }

    public int weight() {
        return config.weight();
    }

    public UpstreamPool pool() {
        return pool;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    // ---- slow start ----------------------------------------------------------------------------

    /**
     * Call when this backend becomes usable again (health check passed, drain cancelled), before the balancer
     * that includes it is built. Starts its slow start and forgets its latency, which describes a past server.
     */
    public void rejoined() {
        joinedAtNanos = nanoClock.getAsLong();
        joining = true;
        latency.set(null);
    }

    /**
     * The weight balancers use at {@code nowNanos}: the configured weight, except during slow start, when it
     * ramps linearly from {@value #SLOW_START_MIN_FRACTION} of it to all of it over the {@code slow_start}
     * window (Envoy's slow start with aggression 1; the floor keeps a new backend from getting nothing).
     */
    public double effectiveWeight(long nowNanos) {
        int weight = config.weight();
        if (!joining || slowStartNanos == 0) {
            return weight;
        }
        long elapsed = nowNanos - joinedAtNanos;
        if (elapsed >= slowStartNanos) {
            // Not cleared here: a reader clearing it could race with a new rejoined() and cancel that ramp.
            return weight;
        }
        double progress = Math.max(0, elapsed) / (double) slowStartNanos;
        return weight * (SLOW_START_MIN_FRACTION + (1 - SLOW_START_MIN_FRACTION) * progress);
    }

    // ---- latency ---------------------------------------------------------------------------------

    /**
     * Records one upstream latency (request sent to response head). Peak-sensitive, as Finagle's PeakEwma: a
     * sample above the average replaces it at once, so a backend turning slow is noticed on its first slow
     * response; a lower one is blended in with weight {@code 1 - exp(-elapsed/tau)}, so recovery is trusted
     * only as samples accumulate.
     */
    public void recordLatency(long latencyNanos) {
        long now = nanoClock.getAsLong();
        double sample = Math.max(0, latencyNanos);
        Latency current;
        Latency next;
        do {
            current = latency.get();
            if (current == null || sample >= current.ewmaNanos()) {
                next = new Latency(sample, now);
            } else {
                double w = Math.exp(-Math.max(0, now - current.atNanos()) / ewmaDecayNanos);
                next = new Latency(current.ewmaNanos() * w + sample * (1 - w), now);
            }
        } while (!latency.compareAndSet(current, next));
    }

    /** The latency average as last updated, or {@link Double#NaN} before the first sample. */
    public double latencyEwmaNanos() {
        Latency l = latency.get();
        return l == null ? Double.NaN : l.ewmaNanos();
    }

    /**
     * The latency score at {@code nowNanos}: the average, decayed toward {@code routeMeanNanos} (the balancer
     * passes the mean of the route's other backends) with weight {@code exp(-idle/tau)} for as long as no sample
     * has arrived. A backend that stops getting traffic because of a few slow responses thus drifts back to the
     * route's mean and is tried again, instead of being judged forever on its worst moment. Before any sample,
     * the mean itself.
     */
    public double latencyEwmaNanos(long nowNanos, double routeMeanNanos) {
        Latency l = latency.get();
        if (l == null) {
            return routeMeanNanos;
        }
        double w = Math.exp(-Math.max(0, nowNanos - l.atNanos()) / ewmaDecayNanos);
        return routeMeanNanos + (l.ewmaNanos() - routeMeanNanos) * w;
    }

    @Override
    public String toString() {
        return "Backend[" + address() + "]";
    }
}
