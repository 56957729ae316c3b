package io.sluice.bench.jmh;

import io.sluice.core.balance.Backend;
import io.sluice.core.balance.Balancer;
import io.sluice.core.balance.BalancingStrategy;
import io.sluice.core.balance.PickContext;
import io.sluice.core.config.BackendConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of one balancer pick over 100 backends, per algorithm (issue 4 asks under 100 ns). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerPickBenchmark {

    @Param({"round_robin", "weighted_round_robin", "least_connections", "ip_hash", "least_response_time",
            "power_of_two_choices"})
    public String algorithm;

    @Param({"100"})
    public int backends;

    private Balancer balancer;
    private final PickContext context = new PickContext() {
        private final SocketAddress address = new InetSocketAddress("10.1.2.3", 40000);

        @Override
        public SocketAddress clientAddress() {
            return address;
        }

        @Override
        public String header(String name) {
            return null;
        }
    };

    @Setup
    public void setUp() {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            Backend backend = new Backend(new BackendConfig("10.0." + (i / 250) + "." + (i % 250), 8080, 50 + i % 100, 5), null);
            backend.recordLatency(1_000_000L + i * 1000L, System.nanoTime(), 10_000_000_000L);
            list.add(backend);
        }
        balancer = BalancingStrategy.named(algorithm, "client_ip", Duration.ofSeconds(10),
                BalancingStrategy.THREAD_LOCAL_RANDOM).newBalancer(list);
    }

    @Benchmark
    public Backend pick() {
        return balancer.pick(context);
    }
}
