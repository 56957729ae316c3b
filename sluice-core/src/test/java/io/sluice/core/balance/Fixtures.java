package io.sluice.core.balance;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.BalancerConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Test shorthand: backends without pools, a clock tests advance, seeded randomness, requests to place. */
final class Fixtures {

    private Fixtures() {}

    /** A clock that only moves when told to. */
    static final class FakeClock implements LongSupplier {
        private long nanos = 1_000_000_000L; // not zero: a zero reading would hide "unset" bugs

        @Override
        public long getAsLong() {
            return nanos;
        }

        void advanceMillis(long millis) {
            nanos += millis * 1_000_000L;
        }

        void setNanos(long nanos) {
            this.nanos = nanos;
        }
    }

    /** One seeded generator, handed out on every call: picks are a deterministic sequence. */
    static Supplier<RandomGenerator> seeded(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        return () -> random;
    }

    static Backend backend(int port, int weight) {
        return backend(port, weight, BalancerConfig.defaults(), System::nanoTime);
    }

    static Backend backend(int port, int weight, BalancerConfig balancer, LongSupplier clock) {
        return Backend.of(new BackendConfig("10.0.0.1", port, weight, 10), null, balancer, clock);
    }

    /** Backends on ports 9001, 9002, ... with these weights. */
    static List<Backend> backends(int... weights) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(backend(9001 + i, weights[i]));
        }
        return out;
    }

    static List<Backend> backends(BalancerConfig balancer, LongSupplier clock, int... weights) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(backend(9001 + i, weights[i], balancer, clock));
        }
        return out;
    }

    static PickContext request() {
        return request(new InetSocketAddress("192.0.2.1", 40000), Map.of());
    }

    /** A request from this client with these headers (names matched case-insensitively, as HTTP does). */
    static PickContext request(SocketAddress client, Map<String, String> headers) {
        return new PickContext() {
            @Override
            public SocketAddress clientAddress() {
                return client;
            }

            @Override
            public String header(String name) {
                return headers.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(null);
            }
        };
    }

    static PickContext fromClient(String ip, int port) {
        return request(new InetSocketAddress(ip, port), Map.of());
    }
}
