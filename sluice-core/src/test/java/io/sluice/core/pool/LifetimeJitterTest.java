package io.sluice.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.pool.internal.LifetimeJitter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LifetimeJitterTest {

    @Test
    void eachLifetimeIsUpToTwoAndAHalfPercentShort() {
        long max = Duration.ofSeconds(300).toNanos();
        SplittableRandom random = new SplittableRandom(42);
        Set<Long> seen = new HashSet<>();
        long shortest = Long.MAX_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long lifetime = LifetimeJitter.lifetimeNanos(max, random);
            assertThat(lifetime).isBetween(max - max / 40, max);
            seen.add(lifetime);
            shortest = Math.min(shortest, lifetime);
        }
        assertThat(seen).hasSizeGreaterThan(9_000); // spread out, not one shared deadline
        assertThat(shortest).isLessThan(max - max / 50);
    }

    @Test
    void zeroMeansNoLimit() {
        assertThat(LifetimeJitter.lifetimeNanos(0, new SplittableRandom())).isZero();
    }
}
