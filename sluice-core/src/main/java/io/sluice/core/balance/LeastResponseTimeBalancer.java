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
 * <p>One change from Finagle: an idle backend's average decays toward the mean of the <em>other</em> backends'
 * averages, not toward zero and not frozen. Frozen, a few slow responses would starve a backend for good, since
 * nothing would ever be sent to refresh its score; toward zero, a dead-slow backend would be retried as if it
 * were the fastest; toward a mean including its own stale value, it could stay above every busy rival and
 * never be retried. Toward its peers' mean it is retried as an ordinary backend, and a slow answer sends it
 * back out at once. The mean reads every backend once per pick: O(n), no locks.
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
        double sum = 0;
        int sampled = 0;
        for (Backend each : backends) {
            double ewma = each.latencyEwmaNanos();
            if (!Double.isNaN(ewma)) {
                sum += ewma;
                sampled++;
            }
        }
        long now = nanoClock.getAsLong();
        return cost(b, now, sum, sampled) < cost(a, now, sum, sampled) ? b : a;
    }

    /**
     * {@code latency * (inFlight + 1) / effectiveWeight}, the latency decayed toward its peers' mean. Before any
     * backend has a sample, the cost is the load alone.
     */
    private static double cost(Backend b, long now, double sum, int sampled) {
        double latency;
        if (sampled == 0) {
            latency = 1;
        } else {
            double own = b.latencyEwmaNanos();
            double peersMean = Double.isNaN(own) ? sum / sampled
                    : sampled == 1 ? own // no peer to compare with: its own value, undecayed
                    : (sum - own) / (sampled - 1);
            // max: averages read one by one may have moved in between; never let a cost go to zero or below.
            latency = Math.max(b.latencyEwmaNanos(now, Math.max(peersMean, 0)), 1);
        }
        return latency * (b.inFlight() + 1) / b.effectiveWeight(now);
    }
}
