package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.request;
import static io.sluice.core.balance.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.BalancerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalancingStrategyTest {

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();

    @Test
    void everyNamedAlgorithmPicksFromTheRouteAndNothingFromAnEmptyOne() {
        List<Backend> backends = backends(100, 200, 300);
        for (String name : BalancingStrategy.names()) {
            BalancingStrategy strategy = BalancingStrategy.named(BalancerConfig.of(name), seeded(1), clock);

            assertThat(strategy.newBalancer(backends).pick(request())).as(name).isIn(backends);
            assertThat(strategy.newBalancer(List.of()).pick(request())).as(name).isNull();
        }
    }

    @Test
    void weightAwareAlgorithmsAreNamedAlgorithms() {
        assertThat(BalancingStrategy.names()).containsAll(BalancingStrategy.weightAware());
        assertThat(BalancingStrategy.weightAware()).doesNotContain("round_robin", "ip_hash");
    }

    @Test
    void roundRobinStillRotatesEvenly() {
        List<Backend> backends = backends(100, 900);
        Balancer balancer = BalancingStrategy.roundRobin().newBalancer(backends);

        assertThat(List.of(balancer.pick(request()), balancer.pick(request()), balancer.pick(request())))
                .containsExactly(backends.get(0), backends.get(1), backends.get(0));
    }

    @Test
    void unknownNameIsRejected() {
        assertThatThrownBy(() -> BalancingStrategy.named(BalancerConfig.of("random")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown algorithm: random");
    }
}
