package io.sluice.core.balance;

import static io.sluice.core.balance.Fixtures.backends;
import static io.sluice.core.balance.Fixtures.fromClient;
import static io.sluice.core.balance.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sluice.core.config.BalancerConfig.HashKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaglevBalancerTest {

    private static final int KEYS = 10_000;

    @Test
    void removingOneOfNBackendsMovesAboutOneNthOfKeys() {
        for (int n : new int[] {3, 5, 10}) {
            int[] weights = new int[n];
            Arrays.fill(weights, 100);
            List<Backend> all = backends(weights);
            List<Backend> survivors = new ArrayList<>(all);
            Backend leaving = survivors.remove(n / 2);
            Balancer before = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(all);
            Balancer after = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(survivors);

            int moved = 0;
            int survivorKeys = 0;
            int survivorKeysMoved = 0;
            for (PickContext key : clients(KEYS, n)) {
                Backend was = before.pick(key);
                Backend now = after.pick(key);
                if (was != now) {
                    moved++;
                }
                if (was != leaving) {
                    survivorKeys++;
                    if (was != now) {
                        survivorKeysMoved++;
                    }
                }
            }

            assertThat(moved / (double) KEYS).as("moved with %d backends", n).isLessThanOrEqualTo(1.0 / n + 0.02);
            // Maglev trades exact minimal disruption for an even table: a sliver of other keys may move.
            assertThat(survivorKeysMoved / (double) survivorKeys).as("survivors' keys moved with %d backends", n)
                    .isLessThanOrEqualTo(0.01);
        }
    }

    @Test
    void spreadsKeysEvenly() {
        List<Backend> backends = backends(100, 100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(backends);

        Map<Backend, Integer> counts = new HashMap<>();
        for (PickContext key : clients(KEYS, 1)) {
            counts.merge(balancer.pick(key), 1, Integer::sum);
        }

        for (Backend b : backends) {
            assertThat(counts.get(b) / (double) KEYS).as("share of %s", b).isCloseTo(0.2, offset(0.02));
        }
    }

    @Test
    void sameClientIpSameBackendWhateverItsPortOrTheListOrder() {
        List<Backend> backends = backends(100, 100, 100, 100);
        Balancer balancer = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(backends);
        Balancer reversed = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(backends.reversed());

        for (int i = 0; i < 100; i++) {
            String ip = "198.51.100." + i;
            Backend b = balancer.pick(fromClient(ip, 1024));
            assertThat(balancer.pick(fromClient(ip, 65000))).isSameAs(b);
            assertThat(reversed.pick(fromClient(ip, 1024))).isSameAs(b);
        }
    }

    @Test
    void hashesTheConfiguredHeaderAndFallsBackToClientIpWithoutIt() {
        List<Backend> backends = backends(100, 100, 100, 100, 100, 100, 100, 100);
        Balancer byHeader = BalancingStrategy.ipHash(HashKey.header("X-User")).newBalancer(backends);
        Balancer byIp = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(backends);

        InetSocketAddress a = new InetSocketAddress("203.0.113.1", 5000);
        InetSocketAddress b = new InetSocketAddress("203.0.113.2", 5000);
        // The same user from many addresses lands on one backend.
        Backend alice = byHeader.pick(Fixtures.request(a, Map.of("X-User", "alice")));
        for (int i = 0; i < 50; i++) {
            InetSocketAddress from = new InetSocketAddress("203.0.113." + i, 5000);
            assertThat(byHeader.pick(Fixtures.request(from, Map.of("x-user", "alice")))).isSameAs(alice);
        }
        assertThat(byHeader.pick(Fixtures.request(b, Map.of()))).isSameAs(byIp.pick(Fixtures.request(b, Map.of())));
    }

    @Test
    void hashesTheConfiguredCookieAndFallsBackToClientIpWithoutIt() {
        List<Backend> backends = backends(100, 100, 100, 100, 100, 100, 100, 100);
        Balancer byCookie = BalancingStrategy.ipHash(HashKey.cookie("session")).newBalancer(backends);
        Balancer byIp = BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(backends);

        Backend first = byCookie.pick(Fixtures.request(
                new InetSocketAddress("203.0.113.1", 5000), Map.of("Cookie", "theme=dark; session=abc123")));
        for (int i = 0; i < 50; i++) {
            InetSocketAddress from = new InetSocketAddress("203.0.113." + i, 5000);
            assertThat(byCookie.pick(Fixtures.request(from, Map.of("Cookie", "session=abc123; lang=en"))))
                    .isSameAs(first);
        }
        InetSocketAddress c = new InetSocketAddress("203.0.113.9", 5000);
        assertThat(byCookie.pick(Fixtures.request(c, Map.of("Cookie", "theme=dark"))))
                .isSameAs(byIp.pick(Fixtures.request(c, Map.of())));
    }

    @Test
    void emptyRouteHasNoBackend() {
        assertThat(BalancingStrategy.ipHash(HashKey.CLIENT_IP).newBalancer(List.of()).pick(request())).isNull();
    }

    /** Distinct random IPv4 clients, seeded. */
    private static List<PickContext> clients(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PickContext> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ip = random.nextInt();
            out.add(fromClient((ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF),
                    40000));
        }
        return out;
    }
}
