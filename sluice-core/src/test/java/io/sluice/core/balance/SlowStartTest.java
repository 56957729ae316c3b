package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.request;
import static io.sluice.core.balance.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sluice.core.config.BalancerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every weight-aware algorithm gives a rejoined backend a small share first, then its full one. */
class SlowStartTest {

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
    private final BalancerConfig config = new BalancerConfig(
            "weighted_round_robin", BalancerConfig.HashKey.CLIENT_IP, Duration.ofSeconds(30), Duration.ofSeconds(10));

    @Test
    void weightedRoundRobinRampsARejoinedBackend() {
        List<Backend> backends = backends(config, clock, 100, 100);
        backends.get(1).rejoined();
        Balancer balancer = BalancingStrategy.weightedRoundRobin(clock).newBalancer(backends);

        // At the start: weight 10 against 100.
        assertThat(shareOf(backends.get(1), balancer, 1_100)).isCloseTo(10 / 110.0, offset(0.01));
        clock.advanceMillis(30_000);
        assertThat(shareOf(backends.get(1), balancer, 1_000)).isCloseTo(0.5, offset(0.01));
    }

    @Test
    void powerOfTwoChoicesRampsARejoinedBackend() {
        List<Backend> backends = backends(config, clock, 100, 100);
        backends.get(1).rejoined();
        Balancer balancer = BalancingStrategy.powerOfTwoChoices(seeded(9), clock).newBalancer(backends);

        // Requests held: in-flight settles in proportion to effective weight, 10 : 100.
        for (int i = 0; i < 1_100; i++) {
            balancer.pick(request()).requestStarted();
        }
        assertThat(backends.get(1).inFlight() / 1_100.0).isCloseTo(10 / 110.0, offset(0.01));
    }

    private static double shareOf(Backend backend, Balancer balancer, int picks) {
        int count = 0;
        for (int i = 0; i < picks; i++) {
            if (balancer.pick(request()) == backend) {
                count++;
            }
        }
        return count / (double) picks;
    }
}
