package io.sluice.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void parsesDeltaSecondsAndHttpDates() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 2 ", now)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse("-1", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).contains(RetryAfter.MAX_HOLD);
    }

    @Test
    void backendIsHeldUntilItsRetryAfterPasses() {
        AtomicLong clock = new AtomicLong();
        RetryAfter holds = new RetryAfter(clock::get);
        holds.record("a:1", "2");
        assertThat(holds.remainingNanos("a:1")).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(holds.remainingNanos("b:1")).isZero();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_500));
        assertThat(holds.remainingNanos("a:1")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(holds.remainingNanos("a:1")).isZero();
    }

    @Test
    void aShorterLaterHoldDoesNotShortenALongerOne() {
        AtomicLong clock = new AtomicLong();
        RetryAfter holds = new RetryAfter(clock::get);
        holds.hold("a:1", Duration.ofSeconds(10));
        holds.hold("a:1", Duration.ofSeconds(1));
        assertThat(holds.remainingNanos("a:1")).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        holds.hold("b:1", Duration.ofDays(3));
        assertThat(holds.remainingNanos("b:1")).isEqualTo(RetryAfter.MAX_HOLD.toNanos());
    }
}
