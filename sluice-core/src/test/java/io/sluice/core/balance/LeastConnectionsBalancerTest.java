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

class LeastConnectionsBalancerTest {

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();

    @Test
    void picksFewestInFlightRelativeToWeight() {
        List<Backend> backends = backends(100, 300, 100);
        start(backends.get(0), 2);
        start(backends.get(1), 5); // (5+1)/300 = 0.02: lighter than (2+1)/100 and (3+1)/100 despite more requests
        start(backends.get(2), 3);
        Balancer balancer = BalancingStrategy.leastConnections(seeded(1), clock).newBalancer(backends);

        assertThat(balancer.pick(request())).isSameAs(backends.get(1));
    }

    @Test
    void tiesAreBrokenAtRandomNotByListOrder() {
        List<Backend> backends = backends(100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.leastConnections(seeded(42), clock).newBalancer(backends);

        Map<Backend, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(balancer.pick(request()), 1, Integer::sum);
        }

        for (Backend b : backends) {
            assertThat(counts.get(b) / 10_000.0).as("share of %s", b).isCloseTo(0.25, offset(0.02));
        }
    }

    @Test
    void spreadsHeldRequestsInProportionToWeight() {
        List<Backend> backends = backends(300, 100, 100);
        Balancer balancer = BalancingStrategy.leastConnections(seeded(7), clock).newBalancer(backends);

        for (int i = 0; i < 500; i++) {
            balancer.pick(request()).requestStarted(); // none finish: in-flight counts are the shares
        }

        assertThat(backends).extracting(Backend::inFlight).containsExactly(300, 100, 100);
    }

    private static void start(Backend backend, int requests) {
        for (int i = 0; i < requests; i++) {
            backend.requestStarted();
        }
    }
}
