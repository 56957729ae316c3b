package io.sluice.core.balance;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Fewest in-flight requests relative to weight. Ties are broken at random (reservoir sampling over the tied
 * backends), so a burst of new requests does not all land on the first backend in the list.
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
        Backend best = null;
        double bestLoad = Double.MAX_VALUE;
        int ties = 0;
        for (Backend backend : backends) {
            double load = (backend.inFlight() + 1.0) / backend.effectiveWeight();
            if (load < bestLoad) {
                best = backend;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad && random.get().nextInt(++ties) == 0) {
                best = backend;
            }
        }
        return best;
    }
}
