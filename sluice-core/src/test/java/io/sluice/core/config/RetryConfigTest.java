package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code routes[i].retry}: per-try timeout, replay buffer and hedging bind with defaults, and bad values are named. */
class RetryConfigTest {

    private static RetryConfig retry(String block) {
        return parse("""
                routes:
                  - name: r
                    retry: %s
                    backends: [{host: 127.0.0.1, port: 8080}]
                """.formatted(block)).routes().get(0).retry();
    }

    @Test
    void defaultsHaveNoPerTryTimeoutA64KiBReplayBufferAndNoHedging() {
        RetryConfig r = retry("{}");
        assertThat(r.hasPerTryTimeout()).isFalse();
        assertThat(r.replayBuffer()).isEqualTo(64 * 1024);
        assertThat(r.hedge()).isEqualTo(RetryConfig.HedgeConfig.OFF);
        assertThat(RetryConfig.DEFAULTS.replayBuffer()).isEqualTo(64 * 1024);
    }

    @Test
    void bindsPerTryTimeoutReplayBufferAndHedge() {
        RetryConfig r = retry("{per_try_timeout: 250ms, replay_buffer: 8KiB, hedge: {enabled: true, delay: 20ms}}");
        assertThat(r.perTryTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(r.replayBuffer()).isEqualTo(8192);
        assertThat(r.hedge()).isEqualTo(new RetryConfig.HedgeConfig(true, Duration.ofMillis(20), false));
        assertThat(retry("{hedge: {enabled: true, delay: p95}}").hedge().p95()).isTrue();
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThat(errors("""
                routes:
                  - name: r
                    retry: {replay_buffer: 1GiB, hedge: {enabled: 3, delay: soon}, per_try_timeout: 2h}
                    backends: [{host: 127.0.0.1, port: 8080}]
                """)).hasSize(4).allSatisfy(e -> assertThat(e).startsWith("routes[0].retry."));
    }
}
