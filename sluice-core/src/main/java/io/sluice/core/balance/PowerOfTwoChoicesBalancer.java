package io.sluice.core.balance;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices (Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", 2001): pick two
 * distinct backends at random and take the less loaded (in-flight relative to weight). Nearly as even as least
 * connections, without its herding: many balancers (or threads) seeing the same least-loaded backend do not all
 * pile onto it. Sluice's default algorithm.
 */
final class PowerOfTwoChoicesBalancer implements Balancer {

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;

    PowerOfTwoChoicesBalancer(List<Backend> backends, Supplier<RandomGenerator> random) {
        this.backends = backends.toArray(Backend[]::new);
        this.random = random;
    }

    @Override
    public Backend pick(PickContext context) {
        int n = backends.length;
        if (n <= 1) {
            return n == 0 ? null : backends[0];
        }
        RandomGenerator r = random.get();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Backend a = backends[i];
        Backend b = backends[j];
        double loadA = (a.inFlight() + 1.0) / a.effectiveWeight();
        double loadB = (b.inFlight() + 1.0) / b.effectiveWeight();
        return loadA <= loadB ? a : b;
    }
}
