package io.sluice.core.balance;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The backend with the lowest {@link Load#of load} (requests in flight, counting this one, per unit of
 * effective weight). Ties are broken uniformly at random by reservoir sampling, so equal backends share the
 * traffic instead of the first in the list taking it all. Lock-free; a pick scans every backend, so for large
 * routes {@code power_of_two_choices} is the cheaper choice.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;
    private final LongSupplier nanoClock;

    LeastConnectionsBalancer(List<Backend> backends, Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        this.backends = backends.toArray(Backend[]::new);
        this.random = random;
        this.nanoClock = nanoClock;
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length <= 1) {
            return backends.length == 0 ? null : backends[0];
        }
        long now = nanoClock.getAsLong();
        Backend best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        int ties = 0;
        RandomGenerator rnd = null;
        for (Backend b : backends) {
            double load = Load.of(b, now);
            if (load < bestLoad) {
                best = b;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad) {
                // Reservoir sampling of one: the k-th tie replaces the choice with probability 1/k.
                rnd = rnd == null ? random.get() : rnd;
                if (rnd.nextInt(++ties) == 0) {
                    best = b;
                }
            }
        }
        return best;
    }
}
