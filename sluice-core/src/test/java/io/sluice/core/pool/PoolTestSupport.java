package io.sluice.core.pool;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.sluice.core.config.PoolConfig;
import io.sluice.testing.LoopbackTcpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real loopback server, two client event loops, a manual clock and a connection factory per
 * test; pools built through {@link #builder} are closed after each test.
 */
abstract class PoolTestSupport {

    static final String NAME = "backend-a";

    static EventLoopGroup clientLoops;
    static EventLoop loop1;
    static EventLoop loop2;

    LoopbackTcpServer server;
    LoopbackConnectionFactory factory;
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RecordingTracker tracker = new RecordingTracker();
    private final List<UpstreamPool> pools = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        clientLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pool-test", true), NioIoHandler.newFactory());
        loop1 = clientLoops.next();
        loop2 = clientLoops.next();
        if (loop1 == loop2) {
            throw new IllegalStateException("expected two distinct loops");
        }
    }

    @AfterAll
    static void stopLoops() {
        clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @BeforeEach
    void startServer() throws InterruptedException {
        server = LoopbackTcpServer.start();
        factory = new LoopbackConnectionFactory(server.address());
    }

    @AfterEach
    void stopPoolsAndServer() {
        pools.forEach(UpstreamPool::close);
        server.close();
    }

    /** Pool settings with the documented defaults but these sizes. */
    static PoolConfig config(int minIdle, int maxConnections) {
        return new PoolConfig(minIdle, maxConnections, Duration.ofSeconds(60), Duration.ofSeconds(300),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /** A builder on this test's factory, clock, tracker and loops. */
    UpstreamPoolBuilder builder(PoolConfig config) {
        return UpstreamPool.builder(NAME, factory)
                .config(config)
                .ticker(now::get)
                .metrics(tracker)
                .eventLoops(clientLoops);
    }

    UpstreamPool build(PoolConfig config) {
        return track(builder(config).build());
    }

    UpstreamPool track(UpstreamPool pool) {
        pools.add(pool);
        return pool;
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** The connection, once the acquire completes (tests only: never block an event loop like this). */
    static PooledConnection take(Future<PooledConnection> acquire) throws Exception {
        return acquire.get(10, TimeUnit.SECONDS);
    }
}
