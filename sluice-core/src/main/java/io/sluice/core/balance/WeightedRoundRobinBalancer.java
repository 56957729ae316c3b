package io.sluice.core.balance;

import java.util.List;

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every backend's weight to its current score,
 * takes the highest, and subtracts the total from the winner. Shares match the weights exactly over a cycle and a
 * heavy backend's picks are spread out (5:1:1 gives a a b a c a a, never a a a a a b c).
 *
 * <p>The scores are shared mutable state, so a pick takes a short lock: a few adds over the backend list.
 */
final class WeightedRoundRobinBalancer implements Balancer {

    private final Backend[] backends;
    private final long[] current;

    WeightedRoundRobinBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
        this.current = new long[this.backends.length];
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length == 0) {
            return null;
        }
        synchronized (current) {
            long total = 0;
            int best = 0;
            for (int i = 0; i < backends.length; i++) {
                int weight = backends[i].effectiveWeight();
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
