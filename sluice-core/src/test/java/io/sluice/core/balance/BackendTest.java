package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sluice.core.config.BalancerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendTest {

    private static final long MS = 1_000_000L;

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();

    @Test
    void backendsPresentFromTheStartHaveFullWeight() {
        Backend b = backend(9001, 200, withSlowStart(Duration.ofSeconds(30)), clock);

        assertThat(b.effectiveWeight(clock.getAsLong())).isEqualTo(200);
    }

    @Test
    void rejoinedBackendRampsLinearlyFromTenPercentToFullWeightOverTheWindow() {
        Backend b = backend(9001, 200, withSlowStart(Duration.ofSeconds(30)), clock);
        b.rejoined();

        assertThat(b.effectiveWeight(clock.getAsLong())).isCloseTo(20, offset(1e-9));
        clock.advanceMillis(15_000);
        assertThat(b.effectiveWeight(clock.getAsLong())).isCloseTo(110, offset(1e-9));
        clock.advanceMillis(15_000);
        assertThat(b.effectiveWeight(clock.getAsLong())).isEqualTo(200);
        clock.advanceMillis(60_000);
        assertThat(b.effectiveWeight(clock.getAsLong())).isEqualTo(200);
    }

    @Test
    void withoutSlowStartARejoinedBackendHasFullWeightAtOnce() {
        Backend b = backend(9001, 200, BalancerConfig.of("least_connections"), clock);
        b.rejoined();

        assertThat(b.effectiveWeight(clock.getAsLong())).isEqualTo(200);
    }

    @Test
    void slowerSampleIsTakenAtOnceAndFasterOnesBlendInOverTime() {
        Backend b = backend(9001, 100, withDecay(Duration.ofSeconds(10)), clock);

        b.recordLatency(10 * MS);
        b.recordLatency(500 * MS);
        assertThat(b.latencyEwmaNanos()).isEqualTo(500 * MS); // the peak, at once

        clock.advanceMillis(10_000); // one tau: the old value keeps exp(-1) of its weight
        b.recordLatency(10 * MS);
        assertThat(b.latencyEwmaNanos()).isCloseTo(10 * MS + 490 * MS * Math.exp(-1), offset(1.0));
    }

    @Test
    void starvedBackendsScoreDecaysBackTowardTheRoutesMean() {
        Backend b = backend(9001, 100, withDecay(Duration.ofSeconds(10)), clock);
        b.recordLatency(1_000 * MS);
        double mean = 100 * MS;

        assertThat(b.latencyEwmaNanos(clock.getAsLong(), mean)).isEqualTo(1_000 * MS);
        clock.advanceMillis(10_000);
        assertThat(b.latencyEwmaNanos(clock.getAsLong(), mean)).isCloseTo(mean + 900 * MS * Math.exp(-1), offset(1.0));
        clock.advanceMillis(60_000); // seven tau in all: within exp(-7) of the distance
        assertThat(b.latencyEwmaNanos(clock.getAsLong(), mean)).isCloseTo(mean, offset(0.01 * mean));
        assertThat(b.latencyEwmaNanos()).as("the recorded average itself is unchanged").isEqualTo(1_000 * MS);
    }

    @Test
    void backendWithoutSamplesScoresTheMeanAndRejoiningForgetsOldSamples() {
        Backend b = backend(9001, 100, withDecay(Duration.ofSeconds(10)), clock);
        assertThat(b.latencyEwmaNanos()).isNaN();
        assertThat(b.latencyEwmaNanos(clock.getAsLong(), 42 * MS)).isEqualTo(42 * MS);

        b.recordLatency(900 * MS);
        b.rejoined();

        assertThat(b.latencyEwmaNanos()).isNaN();
    }

    private static BalancerConfig withSlowStart(Duration window) {
        return new BalancerConfig("weighted_round_robin", BalancerConfig.HashKey.CLIENT_IP, window,
                Duration.ofSeconds(10));
    }

    private static BalancerConfig withDecay(Duration tau) {
        return new BalancerConfig("least_response_time", BalancerConfig.HashKey.CLIENT_IP, Duration.ZERO, tau);
    }
}
