package io.sluice.bench.jmh;

import io.sluice.core.config.RateLimitConfig;
import io.sluice.core.limit.RateLimiter;
import java.time.Duration;
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

/**
 * Cost of one rate-limit decision on the request path: the global bucket alone, and per-client buckets looked up in
 * the Caffeine cache among 10,000 live clients. The rate is high enough that every request is allowed, the common
 * case the proxy pays for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {

    @Param({"global", "per_client"})
    public String scope;

    private RateLimiter limiter;
    private final String[] clients = new String[10_000];
    private int next;

    @Setup
    public void setUp() {
        boolean perClient = scope.equals("per_client");
        limiter = new RateLimiter(new RateLimitConfig(true, 1_000_000_000L, Duration.ofSeconds(1), 1_000_000_000L,
                !perClient, perClient, "client_ip", 100_000, Duration.ofMinutes(10)));
        for (int i = 0; i < clients.length; i++) {
            clients[i] = "10.0." + (i >> 8) + "." + (i & 255);
            limiter.tryAcquire(clients[i]);
        }
    }

    @Benchmark
    public RateLimiter.Decision tryAcquire() {
        String client = clients[next];
        next = next + 1 == clients.length ? 0 : next + 1;
        return limiter.tryAcquire(client);
    }
}
