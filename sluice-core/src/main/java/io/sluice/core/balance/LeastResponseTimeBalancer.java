package io.sluice.core.balance;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Least response time, as Finagle's and Linkerd's PeakEwma balancers: power of two choices by
 * {@code cost = latency * (inFlight + 1) / effectiveWeight}, where latency is the backend's peak-sensitive
 * moving average ({@link Backend#recordLatency}). Latency alone would send everything to the fastest backend
 * until its queue shows up in its latency; multiplying by the load reacts before that.
 *
 * <p>One change from Finagle: an idle backend's average decays toward the route's mean (the average of every
 * backend's latency), not toward zero and not frozen. Frozen, a few slow responses would starve a backend for
 * good, since nothing would ever be sent to refresh its score; toward zero, a dead-slow backend would be
 * retried as if it were the fastest. Toward the mean it is retried as an ordinary backend, and a slow answer
 * sends it back out at once. Computing the mean reads every backend once per pick: O(n), no locks.
 */
final class LeastResponseTimeBalancer implements Balancer {

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;
    private final LongSupplier nanoClock;

    LeastResponseTimeBalancer(List<Backend> backends, Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        this.backends = backends.toArray(Backend[]::new);
        this.random = random;
        this.nanoClock = nanoClock;
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length <= 1) {
            return backends.length == 0 ? null : backends[0];
        }
        RandomGenerator rnd = random.get();
        int i = rnd.nextInt(backends.length);
        int j = rnd.nextInt(backends.length - 1);
        Backend a = backends[i];
        Backend b = backends[j >= i ? j + 1 : j];
        long now = nanoClock.getAsLong();
        double mean = meanLatencyNanos();
        return cost(b, now, mean) < cost(a, now, mean) ? b : a;
    }

    /** The average of the backends' latency averages; 0 until any has a sample, so the cost is the load. */
    private double meanLatencyNanos() {
        double sum = 0;
        int n = 0;
        for (Backend b : backends) {
            double ewma = b.latencyEwmaNanos();
            if (!Double.isNaN(ewma)) {
                sum += ewma;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static double cost(Backend b, long now, double mean) {
        // With no samples at all every latency is 0: fall back to load alone rather than a tie at 0.
        double latency = mean == 0 ? 1 : Math.max(b.latencyEwmaNanos(now, mean), 1);
        return latency * (b.inFlight() + 1) / b.effectiveWeight(now);
    }
}
