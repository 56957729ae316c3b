package io.sluice.core.balance;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Smooth weighted round robin, as nginx's {@code ngx_http_upstream_get_peer}: each pick adds every backend's
 * weight to its running {@code current} value, takes the backend with the largest, and subtracts the total
 * from it. Over any run of {@code sum(weights)} picks each backend gets exactly its weight, and a heavy backend's
 * turns are spread out ({@code 5,1,1} gives {@code a a b a c a a}, not {@code a a a a a b c}).
 *
 * <p><b>Why a lock.</b> The state is a vector updated as a whole on every pick (all entries grow, one
 * shrinks); half-applied updates from two threads would break the guarantee that the values sum to zero, and
 * with it the shares. A lock-free version would copy the vector per pick and retry on contention, which costs
 * more than the short critical section it replaces: {@code n} additions and comparisons, no allocation, no
 * blocking call. A precomputed schedule could be read lock-free, but slow start changes the weights between
 * picks. Weights are doubles so slow start's fractional weights fit; integers stay exact in a double.
 */
final class WeightedRoundRobinBalancer implements Balancer {

    private final Backend[] backends;
    private final double[] current;
    private final LongSupplier nanoClock;

    WeightedRoundRobinBalancer(List<Backend> backends, LongSupplier nanoClock) {
        this.backends = backends.toArray(Backend[]::new);
        this.current = new double[this.backends.length];
        this.nanoClock = nanoClock;
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length <= 1) {
            return backends.length == 0 ? null : backends[0];
        }
        long now = nanoClock.getAsLong();
        synchronized (current) {
            double total = 0;
            int best = 0;
            for (int i = 0; i < backends.length; i++) {
                double weight = backends[i].effectiveWeight(now);
                current[i] += weight;
                total += weight;
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            return backends[best];
        }
    }
}
