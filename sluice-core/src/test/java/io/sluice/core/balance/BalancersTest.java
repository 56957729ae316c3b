package io.sluice.core.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.BackendConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Distribution and behaviour of every algorithm, with seeded randomness and, where time matters, a fake clock. */
class BalancersTest {

    private static final Supplier<RandomGenerator> SEEDED = seeded(42);

    @Test
    void smoothWeightedRoundRobinMatchesWeightsWithoutLongBursts() {
        List<Backend> backends = backends(100, 50, 10);
        Balancer balancer = BalancingStrategy.weightedRoundRobin().newBalancer(backends);
        Map<Backend, Integer> picks = new HashMap<>();
        int longestRun = 0;
        int run = 0;
        Backend last = null;
        for (int i = 0; i < 10_000; i++) {
            Backend b = balancer.pick(client("10.0.0.1"));
            picks.merge(b, 1, Integer::sum);
            run = b == last ? run + 1 : 1;
            longestRun = Math.max(longestRun, run);
            last = b;
        }
        assertShares(picks, backends, 0.01);
        assertThat(longestRun).isLessThanOrEqualTo(3); // 100:50:10 interleaves; nothing like 100 in a row
    }

    @Test
    void smoothWeightedRoundRobinsPrecomputedCycleIsNginxsSequenceStepByStep() {
        for (int[] weights : new int[][] {{5, 1, 1}, {100, 50, 10}, {3, 7, 11, 13}, {1}, {600, 400}}) {
            List<Backend> backends = backends(weights);
            Balancer balancer = BalancingStrategy.weightedRoundRobin().newBalancer(backends);
            long[] scores = new long[weights.length];
            int total = IntStream.of(weights).sum();
            for (int k = 0; k < 3 * total; k++) {
                int best = 0;
                for (int i = 0; i < weights.length; i++) {
                    scores[i] += weights[i];
                    if (scores[i] > scores[best]) {
                        best = i;
                    }
                }
                scores[best] -= total;
                assertThat(balancer.pick(client("10.0.0.1"))).as("pick %d of %s", k, java.util.Arrays.toString(weights))
                        .isSameAs(backends.get(best));
            }
        }
    }

    @Test
    void smoothWeightedRoundRobinFollowsASlowStartRamp() {
        List<Backend> backends = backends(100, 100);
        backends.get(1).slowStart(java.time.Duration.ofHours(1));
        backends.get(1).joined(System.nanoTime()); // ramping: 10 % of its weight for the next minutes
        Balancer balancer = BalancingStrategy.weightedRoundRobin().newBalancer(backends);
        int rampingPicks = 0;
        for (int i = 0; i < 1100; i++) {
            rampingPicks += balancer.pick(client("10.0.0.1")) == backends.get(1) ? 1 : 0;
        }
        assertThat(rampingPicks).isBetween(90, 110); // 10 / (100 + 10) of 1100
    }

    @Test
    void leastConnectionsUsesTheRampedWeightDuringSlowStart() {
        List<Backend> backends = backends(100, 100);
        backends.get(1).slowStart(java.time.Duration.ofHours(1));
        backends.get(1).joined(System.nanoTime()); // weight 10 for now
        backends.get(0).requestStarted();
        backends.get(0).requestStarted(); // (2 + 1) / 100 still beats (0 + 1) / 10
        Balancer balancer = BalancingStrategy.leastConnections(SEEDED).newBalancer(backends);
        assertThat(balancer.pick(client("10.0.0.1"))).isSameAs(backends.get(0));
    }

    @Test
    void leastConnectionsWeighsInFlightByWeight() {
        List<Backend> backends = backends(300, 100);
        backends.get(0).requestStarted(); // (1 + 1) / 300 beats (0 + 1) / 100
        Balancer balancer = BalancingStrategy.leastConnections(SEEDED).newBalancer(backends);
        assertThat(balancer.pick(client("10.0.0.1"))).isSameAs(backends.get(0));
        for (int i = 0; i < 6; i++) {
            backends.get(0).requestStarted(); // (7 + 1) / 300 loses to (0 + 1) / 100
        }
        assertThat(balancer.pick(client("10.0.0.1"))).isSameAs(backends.get(1));
    }

    @Test
    void leastConnectionsAvoidsTheBusyBackendAndBreaksTiesAtRandom() {
        List<Backend> backends = backends(100, 100, 100);
        for (int i = 0; i < 5; i++) {
            backends.get(0).requestStarted();
        }
        Balancer balancer = BalancingStrategy.leastConnections(SEEDED).newBalancer(backends);
        Map<Backend, Integer> picks = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            picks.merge(balancer.pick(client("10.0.0.1")), 1, Integer::sum);
        }
        assertThat(picks).doesNotContainKey(backends.get(0));
        assertThat(picks.get(backends.get(1))).isBetween(400, 600);
        assertThat(picks.get(backends.get(2))).isBetween(400, 600);
    }

    @Test
    void powerOfTwoChoicesSteersAwayFromLoadAndSpreadsOtherwise() {
        List<Backend> backends = backends(100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.powerOfTwoChoices(SEEDED).newBalancer(backends);
        Map<Backend, Integer> even = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            even.merge(balancer.pick(client("10.0.0.1")), 1, Integer::sum);
        }
        assertShares(even, backends, 0.03);
        for (int i = 0; i < 50; i++) {
            backends.get(3).requestStarted();
        }
        int busyPicked = 0;
        for (int i = 0; i < 4000; i++) {
            if (balancer.pick(client("10.0.0.1")) == backends.get(3)) {
                busyPicked++;
            }
        }
        assertThat(busyPicked).isZero();
    }

    @Test
    void ipHashMovesOnlyTheKeysOfABackendThatLeaves() {
        List<Backend> ten = backends(100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        Balancer before = BalancingStrategy.ipHash("client_ip").newBalancer(ten);
        List<Backend> nine = new ArrayList<>(ten);
        Backend leaving = nine.remove(4);
        Balancer after = BalancingStrategy.ipHash("client_ip").newBalancer(nine);
        int moved = 0;
        Map<Backend, Integer> load = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            PickContext key = client("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            Backend was = before.pick(key);
            Backend now = after.pick(key);
            load.merge(was, 1, Integer::sum);
            if (was != now) {
                moved++;
                assertThat(was).as("only keys of the backend that left move").isSameAs(leaving);
            }
        }
        assertThat(moved / 10_000.0).isLessThanOrEqualTo(0.1 + 0.02);
        assertThat(load.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void ipHashCanKeyOnAHeaderAndFallsBackToTheClientAddress() {
        List<Backend> backends = backends(100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.ipHash("header:X-Api-Key").newBalancer(backends);
        Backend first = balancer.pick(client("10.0.0.1", "x-api-key", "k-123"));
        for (int i = 0; i < 20; i++) {
            assertThat(balancer.pick(client("10.0.0." + i, "x-api-key", "k-123"))).isSameAs(first);
        }
        assertThat(balancer.pick(client("10.9.9.9"))).isSameAs(balancer.pick(client("10.9.9.9")));
    }

    @Test
    void leastResponseTimeShunsASlowBackendAndTakesItBackWhenItRecovers() {
        List<Backend> backends = backends(100, 100, 100);
        long[] clock = {1_000_000_000L};
        long decay = 1_000_000_000L; // 1 s
        Balancer balancer = new LeastResponseTimeBalancer(backends, SEEDED, decay, () -> clock[0]);
        Backend slow = backends.get(2);
        for (Backend b : backends) {
            b.recordLatency(b == slow ? 200_000_000L : 2_000_000L, clock[0], decay);
        }
        assertThat(share(balancer, slow, 3000)).isLessThan(0.05);

        // No traffic for a while: its estimate decays toward the route mean and it is tried again.
        clock[0] += 5 * decay;
        assertThat(share(balancer, slow, 3000)).isGreaterThan(0.2);
        // Fast answers from now on keep it in.
        slow.recordLatency(2_000_000L, clock[0], decay);
        clock[0] += decay;
        for (Backend b : backends) {
            b.recordLatency(2_000_000L, clock[0], decay);
        }
        assertThat(share(balancer, slow, 3000)).isGreaterThan(0.25);
    }

    @Test
    void slowStartRampsARejoinedBackendUp() {
        Backend backend = backends(100).get(0);
        backend.slowStart(java.time.Duration.ofSeconds(10));
        long t0 = 5_000_000_000L;
        backend.joined(t0);
        assertThat(backend.effectiveWeight(t0)).isEqualTo(10);
        assertThat(backend.effectiveWeight(t0 + 5_000_000_000L)).isEqualTo(50);
        assertThat(backend.effectiveWeight(t0 + 10_000_000_000L)).isEqualTo(100);
    }

    @Test
    void everyConfiguredNameBuildsABalancer() {
        for (String name : BalancingStrategy.names()) {
            assertThat(BalancingStrategy.named(name).newBalancer(backends(100, 100)).pick(client("10.0.0.1"))).isNotNull();
            assertThat(BalancingStrategy.named(name).newBalancer(List.of()).pick(client("10.0.0.1"))).isNull();
        }
    }

    /** The backend's share of picks while 10 requests are always in flight (each pick starts one, the oldest ends). */
    private static double share(Balancer balancer, Backend backend, int picks) {
        java.util.ArrayDeque<Backend> inFlight = new java.util.ArrayDeque<>();
        int hits = 0;
        for (int i = 0; i < picks; i++) {
            Backend picked = balancer.pick(client("10.0.0.1"));
            hits += picked == backend ? 1 : 0;
            picked.requestStarted();
            inFlight.add(picked);
            if (inFlight.size() > 10) {
                inFlight.poll().requestFinished();
            }
        }
        inFlight.forEach(Backend::requestFinished);
        return hits / (double) picks;
    }

    private static void assertShares(Map<Backend, Integer> picks, List<Backend> backends, double tolerance) {
        int total = picks.values().stream().mapToInt(Integer::intValue).sum();
        int weights = backends.stream().mapToInt(Backend::weight).sum();
        for (Backend b : backends) {
            double expected = b.weight() / (double) weights;
            double actual = picks.getOrDefault(b, 0) / (double) total;
            assertThat(actual).as("share of %s", b).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    private static List<Backend> backends(int... weights) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(new Backend(new BackendConfig("10.1.0." + (i + 1), 8080, weights[i], 5), null));
        }
        return out;
    }

    private static PickContext client(String ip, String... headers) {
        return new PickContext() {
            @Override
            public SocketAddress clientAddress() {
                return new InetSocketAddress(ip, 40000);
            }

            @Override
            public String header(String name) {
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    if (headers[i].equalsIgnoreCase(name)) {
                        return headers[i + 1];
                    }
                }
                return null;
            }
        };
    }

    private static Supplier<RandomGenerator> seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return () -> random;
    }
}
