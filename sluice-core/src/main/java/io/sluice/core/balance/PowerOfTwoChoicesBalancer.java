package io.sluice.core.balance;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices (Mitzenmacher): draw two distinct backends at random and take the one with the lower
 * {@link Load#of load}. Nearly as good as scanning for the least loaded, at O(1) per pick and lock-free; and
 * because the choice is random, many proxies with stale views do not all pile onto the same idle backend.
 */
final class PowerOfTwoChoicesBalancer implements Balancer {

    private final Backend[] backends;
    private final Supplier<RandomGenerator> random;
    private final LongSupplier nanoClock;

    PowerOfTwoChoicesBalancer(List<Backend> backends, Supplier<RandomGenerator> random, LongSupplier nanoClock) {
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
        Backend b = backends[j >= i ? j + 1 : j]; // distinct from a, uniformly among the others
        long now = nanoClock.getAsLong();
        return Load.of(b, now) < Load.of(a, now) ? b : a; // a tie keeps a, itself a random draw
    }
}
