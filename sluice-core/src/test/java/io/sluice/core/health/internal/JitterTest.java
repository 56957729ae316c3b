package io.sluice.core.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JitterTest {

    @Test
    void delaysStayWithinTenPercentOfTheIntervalAndSpreadAcrossIt() {
        SplittableRandom random = new SplittableRandom(42);
        long interval = Duration.ofSeconds(10).toNanos();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long d = Jitter.nextDelayNanos(Duration.ofSeconds(10), random);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(interval * 9 / 10).isLessThan(interval * 91 / 100);
        assertThat(max).isLessThanOrEqualTo(interval * 11 / 10).isGreaterThan(interval * 109 / 100);
    }

    @Test
    void firstCheckComesWithinTenPercentOfTheInterval() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(Jitter.firstDelayNanos(Duration.ofSeconds(10), random))
                    .isBetween(0L, Duration.ofSeconds(1).toNanos());
        }
    }
}
