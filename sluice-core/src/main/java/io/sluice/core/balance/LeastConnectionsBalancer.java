package io.sluice.core.balance;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Fewest in-flight requests relative to weight. Ties are broken at random (reservoir sampling over the tied
 * backends), so a burst of new requests does not all land on the first backend in the list.
 *
 * <p>One pass, no division: {@code (a + 1) / wa < (b + 1) / wb} is compared as {@code (a + 1) * wb < (b + 1) * wa}
 * in {@code long} (in-flight counts and weights are ints, so the products cannot overflow). The random source is
 * asked only on a tie.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;

    LeastConnectionsBalancer(List<Backend> backends, Supplier<RandomGenerator> random) {
        this.backends = backends.toArray(Backend[]::new);
        this.random = random;
    }

    @Override
    public Backend pick(PickContext context) {
        Backend[] all = backends;
        if (all.length == 0) {
            return null;
        }
        Backend best = all[0];
        long bestLoad = best.inFlight() + 1L;
        long bestWeight = best.effectiveWeight();
        int ties = 1;
        for (int i = 1; i < all.length; i++) {
            Backend backend = all[i];
            long load = backend.inFlight() + 1L;
            long weight = backend.effectiveWeight();
            long lhs = load * bestWeight;
            long rhs = bestLoad * weight;
            if (lhs < rhs) {
                best = backend;
                bestLoad = load;
                bestWeight = weight;
                ties = 1;
            } else if (lhs == rhs && random.get().nextInt(++ties) == 0) {
                best = backend;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }
}
