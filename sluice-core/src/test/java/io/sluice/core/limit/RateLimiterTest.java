package io.sluice.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.RateLimitConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void refusesAfterTheBurstWithAnAccurateRetryAfter() {
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(true, 1, Duration.ofSeconds(2), 3, true, false,
                "client_ip", 100, Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.tryAcquire("a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.scope()).isEqualTo("global");
        assertThat(refused.retryAfterNanos()).isBetween(1_500_000_000L, 2_000_000_000L);
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
        assertThat(limiter.policyHeader()).isEqualTo("\"default\";q=3;w=2");
        assertThat(limiter.rateLimitHeader(refused)).isEqualTo("\"default\";r=0;t=2");
    }

    @Test
    void perClientBucketsAreIsolatedAndTheirNumberIsBounded() {
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(true, 1, Duration.ofMinutes(1), 2, false, true,
                "client_ip", 1000, Duration.ofMinutes(1)));
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        assertThat(limiter.tryAcquire("b").allowed()).as("another client has its own bucket").isTrue();
        for (int i = 0; i < 100_000; i++) {
            limiter.tryAcquire("client-" + i);
        }
        assertThat(limiter.clients()).isLessThanOrEqualTo(1000);
    }
}
