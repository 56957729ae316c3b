package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.request;
import static io.sluice.core.balance.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesBalancerTest {

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();

    @Test
    void neverPicksTheMostLoadedBackend() {
        List<Backend> backends = backends(100, 100, 100);
        for (int i = 0; i < 10; i++) {
            backends.get(1).requestStarted();
        }
        Balancer balancer = BalancingStrategy.powerOfTwoChoices(seeded(3), clock).newBalancer(backends);

        // The two draws are distinct, so the busiest always meets a less busy rival.
        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.pick(request())).isNotSameAs(backends.get(1));
        }
    }

    @Test
    void spreadsIdleTrafficEvenly() {
        List<Backend> backends = backends(100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.powerOfTwoChoices(seeded(11), clock).newBalancer(backends);

        Map<Backend, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(balancer.pick(request()), 1, Integer::sum);
        }

        for (Backend b : backends) {
            assertThat(counts.get(b) / 10_000.0).as("share of %s", b).isCloseTo(0.25, offset(0.02));
        }
    }

    @Test
    void heavierBackendsHoldMoreRequestsUnderLoad() {
        List<Backend> backends = backends(300, 100, 100, 100);
        Balancer balancer = BalancingStrategy.powerOfTwoChoices(seeded(5), clock).newBalancer(backends);

        for (int i = 0; i < 6_000; i++) {
            balancer.pick(request()).requestStarted(); // none finish
        }

        // Its fair share is half; two random choices get close to it without ever scanning the list.
        assertThat(backends.get(0).inFlight() / 6_000.0).isCloseTo(0.5, offset(0.05));
    }

    @Test
    void isTheDefaultAlgorithm() {
        assertThat(io.sluice.core.config.BalancerConfig.defaults().algorithm()).isEqualTo("power_of_two_choices");
    }

    @Test
    void singleBackendIsAlwaysPickedAndEmptyRouteHasNone() {
        List<Backend> one = backends(100);
        assertThat(BalancingStrategy.powerOfTwoChoices(seeded(1), clock).newBalancer(one).pick(request()))
                .isSameAs(one.get(0));
        assertThat(BalancingStrategy.powerOfTwoChoices(seeded(1), clock).newBalancer(List.of()).pick(request()))
                .isNull();
    }
}
