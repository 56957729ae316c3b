package io.sluice.transfer.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.sluice.core.pool.PooledConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * HTTP/2 for the workers: each request is a stream, and the streams share a few connections (one per
 * {@link #STREAMS_PER_CONNECTION} workers) instead of one connection each.
 *
 * <p>Memory stays bounded by flow control rather than by socket reads: every stream's receive window is
 * {@link #STREAM_WINDOW} and a stream channel runs with {@code AUTO_READ} off, so Netty returns window (sends
 * WINDOW_UPDATE) only as the worker consumes DATA. A stream holds at most one window of buffered data; the
 * connection window is raised to cover all its streams at once.
 */
final class Http2Connections {

    /** Streams multiplexed on one connection before another connection is opened. */
    static final int STREAMS_PER_CONNECTION = 8;
    /** Receive window of every stream: the most a stream buffers while its worker writes. */
    static final int STREAM_WINDOW = 512 * 1024;

    /** Pipeline setup of an HTTP/2 connection (after TLS when there is TLS). */
    static void configure(ChannelPipeline pipeline) {
        pipeline.addLast("h2", Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW)
                        .maxHeaderListSize(64 * 1024))
                .build());
        pipeline.addLast("mux", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg); // no server push (disabled in SETTINGS)
            }
        }));
        pipeline.addLast("window", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                raiseConnectionWindow(ctx.channel());
                ctx.fireChannelActive();
            }
        });
    }

    /** Grows the connection window to cover every stream's window (it starts at 64 KiB). */
    static void raiseConnectionWindow(Channel parent) {
        parent.writeAndFlush(new DefaultHttp2WindowUpdateFrame(STREAMS_PER_CONNECTION * STREAM_WINDOW));
    }

    private final Supplier<Future<Channel>> connector;
    private final long connectTimeoutMillis;
    private final int maxConnections;
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    Http2Connections(Supplier<Future<Channel>> connector, int workers, long connectTimeoutMillis) {
        this.connector = connector;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.maxConnections = Math.max(1, (workers + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION);
    }

    /** Connections opened so far (a replaced, closed one counts). */
    int opened() {
        return opened.get();
    }

    /** A new stream on the least busy connection, opening a connection if all are full. */
    PooledConnection acquire() throws IOException {
        Connection connection = pick();
        Future<Http2StreamChannel> f = new Http2StreamChannelBootstrap(connection.parent)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false));
                        ch.pipeline().addLast("exchange", new ExchangeHandler());
                    }
                })
                .open();
        try {
            return new StreamLease(connection, await(f, "opening a stream"));
        } catch (IOException | RuntimeException e) {
            connection.streams.decrementAndGet();
            throw e;
        }
    }

    private Connection pick() throws IOException {
        synchronized (this) {
            connections.removeIf(c -> !c.parent.isActive());
            Connection least = connections.stream().min(Comparator.comparingInt(c -> c.streams.get())).orElse(null);
            if (least != null && (least.streams.get() < STREAMS_PER_CONNECTION || connections.size() >= maxConnections)) {
                least.streams.incrementAndGet();
                return least;
            }
        }
        if (closed) {
            throw new TransientException("client closed");
        }
        Channel parent = await(connector.get(), "connecting");
        synchronized (this) {
            Connection c = new Connection(parent);
            connections.add(c);
            opened.incrementAndGet();
            c.streams.incrementAndGet();
            return c;
        }
    }

    private <T> T await(Future<T> f, String what) throws IOException {
        try {
            if (!f.await(connectTimeoutMillis + 1_000, TimeUnit.MILLISECONDS)) {
                f.cancel(false);
                throw new TransientException(what + " took more than " + connectTimeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        }
        if (!f.isSuccess()) {
            throw new TransientException(what + " failed: " + f.cause(), f.cause());
        }
        return f.getNow();
    }

    void close() {
        closed = true;
        List<Connection> all;
        synchronized (this) {
            all = List.copyOf(connections);
            connections.clear();
        }
        all.forEach(c -> c.parent.close());
    }

    private static final class Connection {
        final Channel parent;
        final AtomicInteger streams = new AtomicInteger();

        Connection(Channel parent) {
            this.parent = parent;
        }
    }

    /** One stream as a pooled "connection": ending the loan closes the stream (RST_STREAM if unfinished). */
    private static final class StreamLease implements PooledConnection {
        private final Connection connection;
        private final Http2StreamChannel stream;
        private final AtomicBoolean ended = new AtomicBoolean();

        StreamLease(Connection connection, Http2StreamChannel stream) {
            this.connection = connection;
            this.stream = stream;
        }

        @Override
        public Channel channel() {
            return stream;
        }

        @Override
        public void release() {
            end();
        }

        @Override
        public void discard() {
            end();
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                connection.streams.decrementAndGet();
                stream.close();
            }
        }
    }
}
