package io.sluice.core.balance;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Fewest in-flight requests relative to weight. Ties are broken at random (reservoir sampling over the tied
 * backends), so a burst of new requests does not all land on the first backend in the list.
 *
 * <p>One pass, no division: {@code (a + 1) / wa < (b + 1) / wb} is compared as {@code (a + 1) * wb < (b + 1) * wa}
 * in {@code long} (in-flight counts and weights are ints, so the products cannot overflow). The weights are copied
 * into an array when the balancer is built (it is rebuilt whenever the usable set changes); only while some backend
 * is in its slow-start ramp are they read from the backends, as they then move with time. The random source is
 * asked only on a tie.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final Backend[] backends;
    private final int[] weights;
    private final long rampEnd;
    private final Supplier<RandomGenerator> random;

    LeastConnectionsBalancer(List<Backend> backends, Supplier<RandomGenerator> random) {
        this.backends = backends.toArray(Backend[]::new);
        this.weights = new int[this.backends.length];
        long end = Long.MIN_VALUE;
        for (int i = 0; i < this.backends.length; i++) {
            weights[i] = this.backends[i].weight();
            long e = this.backends[i].rampEndNanos();
            if (e != Long.MIN_VALUE && (end == Long.MIN_VALUE || e - end > 0)) {
                end = e;
            }
        }
        this.rampEnd = end;
        this.random = random;
    }

    @Override
    public Backend pick(PickContext context) {
        Backend[] all = backends;
        if (all.length == 0) {
            return null;
        }
        int[] w = weights;
        if (rampEnd != Long.MIN_VALUE && System.nanoTime() - rampEnd < 0) {
            // Some backend's slow start moves its weight: the weights in effect now, for this pick only.
            w = new int[all.length];
            for (int i = 0; i < all.length; i++) {
                w[i] = all[i].effectiveWeight();
            }
        }
        int best = 0;
        long bestLoad = all[0].inFlight() + 1L;
        long bestWeight = w[0];
        int ties = 1;
        for (int i = 1; i < all.length; i++) {
            long load = all[i].inFlight() + 1L;
            long weight = w[i];
            long lhs = load * bestWeight;
            long rhs = bestLoad * weight;
            if (lhs < rhs) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
                ties = 1;
            } else if (lhs == rhs && random.get().nextInt(++ties) == 0) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return all[best];
    }
}
