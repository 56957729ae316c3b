package io.sluice.client.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One multiplexed HTTP/2 connection to the host (h2c by prior knowledge, or h2 chosen by ALPN), every request on
 * its own stream. Reconnects when the connection is gone; closed after {@code idleTimeout} without a stream.
 */
final class Http2Session {

    /** The server answered ALPN with something other than h2. */
    static final class NotHttp2 extends RuntimeException {
        NotHttp2(String protocol) {
            super("server chose " + protocol + ", not h2", null, false, false);
        }
    }

    private final Bootstrap bootstrap;
    private final TransportOptions options;
    private final SslContext ssl;
    private final AtomicReference<CompletableFuture<Channel>> connection = new AtomicReference<>();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();

    Http2Session(Bootstrap bootstrap, TransportOptions options, SslContext ssl) {
        this.bootstrap = bootstrap.clone();
        this.options = options;
        this.ssl = ssl;
    }

    /** The live connection, connecting (once, whoever asks first) when there is none. */
    CompletableFuture<Channel> connection() {
        while (true) {
            CompletableFuture<Channel> current = connection.get();
            if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().isActive()))) {
                return current;
            }
            CompletableFuture<Channel> fresh = new CompletableFuture<>();
            if (connection.compareAndSet(current, fresh)) {
                connect(fresh);
                return fresh;
            }
        }
    }

    private void connect(CompletableFuture<Channel> ready) {
        connects.incrementAndGet();
        long idleMillis = options.idleTimeout().toMillis();
        bootstrap.handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                if (ssl == null) {
                    addHttp2(ch.pipeline());
                    return;
                }
                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), options.baseUri().getHost(), options.port()));
                ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                    @Override
                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                            addHttp2(ctx.pipeline());
                            ready.complete(ctx.channel());
                        } else {
                            ready.completeExceptionally(new NotHttp2(protocol));
                            ctx.close();
                        }
                    }

                    @Override
                    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                        ready.completeExceptionally(new TransportException("TLS handshake failed: " + cause, cause, true));
                        ctx.close();
                    }
                });
            }
        });
        bootstrap.connect().addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(new TransportException("connect to " + options.authority() + " failed: "
                        + f.cause(), f.cause(), true));
            } else if (ssl == null) {
                ready.complete(((io.netty.channel.ChannelFuture) f).channel());
            }
        });
    }

    private void addHttp2(ChannelPipeline pipeline) {
        pipeline.addLast(Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof IdleStateEvent && streams.get() == 0) {
                            ctx.close();
                            return;
                        }
                        ctx.fireUserEventTriggered(evt);
                    }
                });
    }

    /** Opens a stream for one exchange; the stream is closed when the exchange ends. */
    Future<Http2StreamChannel> openStream(Channel parent) {
        int maxBody = options.maxResponseBytes();
        return new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                streams.incrementAndGet();
                ch.closeFuture().addListener(f -> streams.decrementAndGet());
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new GzipPassingDecompressor(),
                        new HttpObjectAggregator(maxBody), new ExchangeHandler());
            }
        }).open();
    }

    int connects() {
        return connects.get();
    }

    boolean connected() {
        CompletableFuture<Channel> current = connection.get();
        return current != null && current.isDone() && !current.isCompletedExceptionally() && current.join().isActive();
    }

    void close() {
        CompletableFuture<Channel> current = connection.get();
        if (current != null) {
            current.thenAccept(Channel::close);
        }
    }
}
