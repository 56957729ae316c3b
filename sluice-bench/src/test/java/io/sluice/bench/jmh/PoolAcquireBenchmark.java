package io.sluice.bench.jmh;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.pool.PooledConnection;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.testing.LoopbackTcpServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of borrowing an idle upstream connection and giving it back, as the proxy does per request: both on the
 * event loop that owns the connections (the pool's fast path), over real loopback sockets. One invocation runs
 * {@value #BATCH} acquire/release pairs in one event-loop task, so the cross-thread hop of the benchmark harness
 * is not what is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolAcquireBenchmark {

    static final int BATCH = 1_000;

    private EventLoopGroup group;
    private EventLoop loop;
    private LoopbackTcpServer server;
    private UpstreamPool pool;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        server = LoopbackTcpServer.start();
        pool = UpstreamPool.builder("bench", this::connect).maxConnections(4).eventLoops(group).build();
        pool.acquire(loop).sync().getNow().release(); // one idle connection, registered on loop
    }

    private Future<Channel> connect(EventLoop on) {
        Promise<Channel> promise = on.newPromise();
        var f = new Bootstrap().group(on).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(server.address());
        f.addListener(x -> {
            if (x.isSuccess()) {
                promise.setSuccess(f.channel());
            } else {
                promise.setFailure(x.cause());
            }
        });
        return promise;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pool.close();
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void acquireAndRelease() throws Exception {
        loop.submit(() -> {
            for (int i = 0; i < BATCH; i++) {
                Future<PooledConnection> f = pool.acquire(loop);
                PooledConnection c = f.getNow();
                if (c != null) {
                    c.release();
                } else {
                    f.addListener(done -> ((PooledConnection) done.getNow()).release());
                }
            }
        }).sync();
    }
}
