package io.sluice.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void exponentialFullJitterStaysBetweenZeroAndTheDoublingCeiling() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(42));
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(10_000 * MS, 100 * MS << (attempt - 1));
            for (int i = 0; i < 1_000; i++) {
                assertThat(backoff.nextDelayNanos(attempt)).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void fullJitterUsesTheWholeRangeNotJustItsTop() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(7));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = backoff.nextDelayNanos(3); // ceiling 400 ms
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(20 * MS);
        assertThat(max).isGreaterThan(380 * MS);
    }

    @Test
    void ceilingDoublesThenSaturatesWithoutOverflow() {
        long initial = 100 * MS;
        long max = 10_000 * MS;
        assertThat(Backoff.exponentialCeiling(initial, max, 1)).isEqualTo(100 * MS);
        assertThat(Backoff.exponentialCeiling(initial, max, 2)).isEqualTo(200 * MS);
        assertThat(Backoff.exponentialCeiling(initial, max, 7)).isEqualTo(6_400 * MS);
        assertThat(Backoff.exponentialCeiling(initial, max, 8)).isEqualTo(max);
        assertThat(Backoff.exponentialCeiling(initial, max, 1_000)).isEqualTo(max);
        assertThat(Backoff.exponentialCeiling(initial, Long.MAX_VALUE, 62)).isPositive();
    }

    @Test
    void sameSeedGivesSameDelays() {
        Backoff a = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(1));
        Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(1));
        for (int attempt = 1; attempt < 6; attempt++) {
            assertThat(a.nextDelayNanos(attempt)).isEqualTo(b.nextDelayNanos(attempt));
        }
    }

    @Test
    void fixedWithJitterStaysWithinTheRatio() {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(200)).withJitter(0.25, new Random(3));
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.nextDelayNanos(1)).isBetween(150 * MS, 250 * MS);
        }
        assertThat(Backoff.fixed(Duration.ofMillis(200)).nextDelayNanos(5)).isEqualTo(200 * MS);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: >= initial");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1))).hasMessageContaining("expected: >= 0");
        assertThatThrownBy(() -> Backoff.ofDefault().withJitter(1.5)).hasMessageContaining("expected: 0..1");
        assertThatThrownBy(() -> Backoff.ofDefault().nextDelayNanos(0)).hasMessageContaining("expected: >= 1");
    }
}
