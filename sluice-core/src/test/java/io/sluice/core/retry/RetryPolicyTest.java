package io.sluice.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffGrowsExponentiallyUpToTheCeilingWithFullJitter() {
        SplittableRandom random = new SplittableRandom(1);
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), () -> random);
        assertThat(backoff.ceilingNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(backoff.ceilingNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(backoff.ceilingNanos(5)).isEqualTo(Duration.ofMillis(1600).toNanos());
        assertThat(backoff.ceilingNanos(20)).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(backoff.ceilingNanos(100)).isEqualTo(Duration.ofSeconds(10).toNanos());
        IntStream.rangeClosed(1, 10).forEach(attempt ->
                assertThat(backoff.delayNanos(attempt)).isBetween(0L, backoff.ceilingNanos(attempt)));
    }

    @Test
    void budgetAllowsItsShareOfRequestsPlusAFloorPerSecond() {
        long[] clock = {0};
        RetryBudget budget = new RetryBudget(0.2, 10, () -> clock[0]);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            budget.deposit();
            if (budget.tryWithdraw()) {
                allowed++;
            }
        }
        // 10 to start with, then one in five requests; time stood still.
        assertThat(allowed).isBetween(200, 212);
        int quiet = 0;
        clock[0] += 1_000_000_000L;
        while (budget.tryWithdraw()) {
            quiet++;
        }
        assertThat(quiet).isEqualTo(10);
    }
}
