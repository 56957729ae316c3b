package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinBalancerTest {

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();

    @Test
    void sharesMatchWeightsWithinOnePercentOverTenThousandPicks() {
        List<Backend> backends = backends(500, 300, 170, 30);
        Balancer balancer = BalancingStrategy.weightedRoundRobin(clock).newBalancer(backends);

        Map<Backend, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(balancer.pick(request()), 1, Integer::sum);
        }

        for (Backend b : backends) {
            double share = counts.getOrDefault(b, 0) / 10_000.0;
            assertThat(share).as("share of %s", b).isCloseTo(b.weight() / 1000.0, offset(0.01));
        }
    }

    @Test
    void heavyBackendNeverGetsLongBursts() {
        // Plain weighted round robin would send 100 requests in a row to the first backend.
        List<Backend> backends = backends(100, 10, 10);
        Balancer balancer = BalancingStrategy.weightedRoundRobin(clock).newBalancer(backends);

        int longestRun = 0;
        int run = 0;
        Backend previous = null;
        for (int i = 0; i < 10_000; i++) {
            Backend b = balancer.pick(request());
            run = b == previous ? run + 1 : 1;
            longestRun = Math.max(longestRun, run);
            previous = b;
        }

        // The two light backends, equal in weight, come up side by side, so the 100 turns fall into about
        // 10 gaps: runs of 5 to 10, an order of magnitude below plain weighted round robin's 100.
        assertThat(longestRun).isLessThanOrEqualTo(10);
    }

    @Test
    void interleavesAsNginxDoes() {
        List<Backend> backends = backends(5, 1, 1);
        Balancer balancer = BalancingStrategy.weightedRoundRobin(clock).newBalancer(backends);

        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ports.add(balancer.pick(request()).config().port());
        }

        assertThat(ports).containsExactly(9001, 9001, 9002, 9001, 9003, 9001, 9001);
    }

    @Test
    void concurrentPicksKeepExactShares() throws InterruptedException {
        List<Backend> backends = backends(5, 3, 2);
        Balancer balancer = BalancingStrategy.weightedRoundRobin(clock).newBalancer(backends);
        Map<Backend, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 4;
        int picksEach = 25_000; // 100,000 picks in all: 10,000 whole rounds of 5 + 3 + 2
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < picksEach; i++) {
                    counts.computeIfAbsent(balancer.pick(request()), b -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        // A torn update would break the zero-sum invariant and with it these exact counts.
        assertThat(counts.get(backends.get(0))).hasValue(50_000);
        assertThat(counts.get(backends.get(1))).hasValue(30_000);
        assertThat(counts.get(backends.get(2))).hasValue(20_000);
    }

    @Test
    void emptyRouteHasNoBackend() {
        assertThat(BalancingStrategy.weightedRoundRobin(clock).newBalancer(List.of()).pick(request())).isNull();
    }
}
