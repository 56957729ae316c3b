package io.sluice.core.balance;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Least response time as Finagle and Linkerd do it: each backend's cost is its peak-EWMA latency times its
 * in-flight requests plus one, and a pick compares two random backends by cost (power of two choices, so backends
 * that look equally good are not herded). A backend that turns slow loses traffic within a few responses; while it
 * gets none, its estimate decays toward the route's mean, so it is tried again and regains traffic once it is fast.
 */
final class LeastResponseTimeBalancer implements Balancer {

    private static final long MEAN_REFRESH_NANOS = 100_000_000L;

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;
    private final long decayNanos;
    private final java.util.function.LongSupplier ticker;
    private volatile double mean;
    private volatile long meanAt;
    private volatile boolean meanKnown;

    LeastResponseTimeBalancer(List<Backend> backends, Supplier<RandomGenerator> random, long decayNanos) {
        this(backends, random, decayNanos, System::nanoTime);
    }

    /** With an injected clock, so tests advance time instead of sleeping. */
    LeastResponseTimeBalancer(List<Backend> backends, Supplier<RandomGenerator> random, long decayNanos,
                              java.util.function.LongSupplier ticker) {
        this.backends = backends.toArray(Backend[]::new);
        this.random = random;
        this.decayNanos = decayNanos;
        this.ticker = ticker;
    }

    @Override
    public Backend pick(PickContext context) {
        int n = backends.length;
        if (n <= 1) {
            return n == 0 ? null : backends[0];
        }
        long now = ticker.getAsLong();
        double routeMean = mean(now);
        RandomGenerator r = random.get();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        return cost(backends[i], now, routeMean) <= cost(backends[j], now, routeMean) ? backends[i] : backends[j];
    }

    private double cost(Backend backend, long now, double routeMean) {
        double latency = Math.max(1.0, backend.latencyEstimate(now, routeMean, decayNanos));
        return latency * (backend.inFlight() + 1) / backend.effectiveWeight(now);
    }

    /** The route's mean latency over backends with samples, recomputed at most every 100 ms (racy on purpose). */
    private double mean(long now) {
        if (meanKnown && now - meanAt < MEAN_REFRESH_NANOS) {
            return mean;
        }
        double sum = 0;
        int count = 0;
        for (Backend backend : backends) {
            double latency = backend.latencyNanos();
            if (latency > 0) {
                sum += latency;
                count++;
            }
        }
        double fresh = count == 0 ? 1.0 : sum / count;
        mean = fresh;
        meanAt = now;
        meanKnown = true;
        return fresh;
    }
}
