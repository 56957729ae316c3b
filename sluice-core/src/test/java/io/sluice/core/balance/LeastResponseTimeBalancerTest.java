package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.request;
import static io.sluice.core.balance.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.BalancerConfig;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Least response time under a simulated load: one request arrives every millisecond, each holds its backend
 * for that backend's current latency, and completions report their latency. Time is a fake clock; nothing sleeps.
 */
class LeastResponseTimeBalancerTest {

    private static final long MS = 1_000_000L;

    private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
    private final BalancerConfig config = new BalancerConfig(
            "least_response_time", BalancerConfig.HashKey.CLIENT_IP, Duration.ZERO, Duration.ofSeconds(1));
    private final List<Backend> backends = backends(config, clock, 100, 100, 100);
    private final Balancer balancer =
            BalancingStrategy.leastResponseTime(seeded(17), clock).newBalancer(backends);

    private record Completion(long atNanos, Backend backend, long latencyNanos) {}

    private final PriorityQueue<Completion> pending =
            new PriorityQueue<>((x, y) -> Long.compare(x.atNanos(), y.atNanos()));
    private final long start = clock.getAsLong();

    @Test
    void backendThatTurnsSlowLosesMostTrafficQuicklyAndRegainsItAfterRecovering() {
        Backend flaky = backends.get(2);
        // 0-10 s all fast; 10-20 s the flaky one takes 200 ms; from 20 s it is fast again.
        Latencies latencies = (b, t) -> b == flaky && t >= 10_000 && t < 20_000 ? 200 : 10;

        double before = shareOf(flaky, latencies, 0, 10_000);
        double whileSlow = shareOf(flaky, latencies, 10_500, 20_000);
        shareOf(flaky, latencies, 20_000, 25_000); // recovering: a few tau for the average to come down
        double afterRecovery = shareOf(flaky, latencies, 25_000, 35_000);

        assertThat(before).isBetween(0.25, 0.42);
        assertThat(whileSlow).as("share while slow, from half a second after it turned").isLessThan(0.03);
        assertThat(afterRecovery).isGreaterThan(0.25);
    }

    @Test
    void slowBackendIsStillProbedNowAndThenWhileSlow() {
        Backend flaky = backends.get(0);
        Latencies latencies = (b, t) -> b == flaky && t >= 1_000 ? 300 : 10;

        shareOf(flaky, latencies, 0, 2_000);
        int picked = 0;
        for (long t = 2_000; t < 20_000; t++) {
            if (step(latencies, t) == flaky) {
                picked++;
            }
        }

        // Decay toward its peers' mean sends it a probe every few tau: starved, but not forever.
        assertThat(picked).isPositive();
    }

    /** The flaky backend's share of the requests arriving in {@code [fromMs, toMs)}. */
    private double shareOf(Backend flaky, Latencies latencies, long fromMs, long toMs) {
        int picked = 0;
        for (long t = fromMs; t < toMs; t++) {
            if (step(latencies, t) == flaky) {
                picked++;
            }
        }
        return picked / (double) (toMs - fromMs);
    }

    /** Completes what is due by {@code t} ms, then places one request. */
    private Backend step(Latencies latencies, long t) {
        long now = start + t * MS;
        while (!pending.isEmpty() && pending.peek().atNanos() <= now) {
            Completion done = pending.poll();
            clock.setNanos(done.atNanos());
            done.backend().recordLatency(done.latencyNanos());
            done.backend().requestFinished();
        }
        clock.setNanos(now);
        Backend b = balancer.pick(request());
        b.requestStarted();
        long latency = latencies.millis(b, t) * MS;
        pending.add(new Completion(now + latency, b, latency));
        return b;
    }

    @FunctionalInterface
    private interface Latencies {
        long millis(Backend backend, long atMs);
    }
}
