package io.sluice.bench.jmh;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.Future;
import io.sluice.core.config.RateLimitConfig;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.core.limit.ConcurrencyLimiter;
import io.sluice.core.limit.RateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the issue 5 limiters add to one request, in nanoseconds: a rate-limit token (global bucket, and global plus
 * a per-client bucket), a concurrency slot taken and returned (plain, and on a limiter with a wait queue), and one
 * bandwidth debit. Compare with the proxy's CPU per request (bench/layer-cost, tens of microseconds).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LimiterBenchmark {

    private RateLimiter global;
    private RateLimiter perClient;
    private ConcurrencyLimiter plain;
    private ConcurrencyLimiter queueing;
    private BandwidthThrottle throttle;
    private DefaultEventLoop loop;
    private int client;

    @Setup
    public void setUp() {
        global = new RateLimiter(new RateLimitConfig(true, 10_000_000, Duration.ofSeconds(1), 10_000_000, true, false,
                "client_ip", 100_000, Duration.ofMinutes(10)));
        perClient = new RateLimiter(new RateLimitConfig(true, 10_000_000, Duration.ofSeconds(1), 10_000_000, true,
                true, "client_ip", 100_000, Duration.ofMinutes(10)));
        plain = ConcurrencyLimiter.of("bench", 10_000);
        loop = new DefaultEventLoop();
        queueing = ConcurrencyLimiter.of("bench", 1000, 1000, Duration.ofSeconds(1), ConcurrencyLimiter.Metrics.NONE);
        throttle = BandwidthThrottle.of(1_000_000_000_000L, 1 << 30).child(1_000_000_000_000L, 1 << 30);
    }

    @TearDown
    public void tearDown() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Benchmark
    public boolean rateLimitGlobal() {
        return global.tryAcquire("10.0.0.1").allowed();
    }

    @Benchmark
    public boolean rateLimitGlobalAndPerClient() {
        client = (client + 1) & 1023; // 1024 distinct clients, all cached
        return perClient.tryAcquire("10.0." + (client >> 8) + "." + (client & 255)).allowed();
    }

    @Benchmark
    public void concurrencySlot() {
        plain.tryAcquire().close();
    }

    @Benchmark
    public void concurrencySlotWithQueueConfigured() {
        ConcurrencyLimiter.Permit p = queueing.tryAcquireNow();
        if (p == null) {
            Future<ConcurrencyLimiter.Permit> f = queueing.acquire(loop);
            p = f.getNow();
        }
        p.close();
    }

    @Benchmark
    public long bandwidthDebit() {
        return throttle.reserve(16_384, System.nanoTime());
    }
}
