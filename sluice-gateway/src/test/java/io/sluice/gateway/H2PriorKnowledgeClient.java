package io.sluice.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/2 client with prior knowledge for end-to-end tests: it sends whatever headers it is
 * given, unvalidated, so tests can send requests that a well-behaved client never would.
 */
final class H2PriorKnowledgeClient implements AutoCloseable {

    /** How a stream ended: a complete response, or a reset from the gateway. */
    record Outcome(int streamId, String status, long bodyBytes, String body, Long resetCode) {
        boolean reset() {
            return resetCode != null;
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    final CompletableFuture<Long> goAway = new CompletableFuture<>();

    H2PriorKnowledgeClient(int port) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().validateHeaders(false).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http2GoAwayFrame frame) {
                                    goAway.complete(frame.errorCode());
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Request headers for {@code GET path}, unvalidated so tests can add what HTTP/2 forbids. */
    static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("localhost").path(path);
    }

    /** Opens a stream, sends the headers and then, if {@code body} is not null, one DATA frame with it. */
    CompletableFuture<Outcome> send(Http2Headers headers, String body) throws InterruptedException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInboundHandlerAdapter() {
                    private String status;
                    private long bytes;
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        try {
                            boolean end = false;
                            if (msg instanceof Http2HeadersFrame frame) {
                                if (status == null) {
                                    status = String.valueOf(frame.headers().status());
                                }
                                end = frame.isEndStream();
                            } else if (msg instanceof Http2DataFrame frame) {
                                bytes += frame.content().readableBytes();
                                if (text.length() < 4096) {
                                    text.append(frame.content().toString(StandardCharsets.UTF_8));
                                }
                                end = frame.isEndStream();
                            }
                            if (end) {
                                outcome.complete(new Outcome(ctx.channel() instanceof Http2StreamChannel s ? s.stream().id() : 0, status, bytes, text.toString(), null));
                            }
                        } finally {
                            ReferenceCountUtil.release(msg);
                        }
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof Http2ResetFrame reset) {
                            outcome.complete(new Outcome(ctx.channel() instanceof Http2StreamChannel s ? s.stream().id() : 0, status, bytes, text.toString(), reset.errorCode()));
                        }
                        ReferenceCountUtil.release(evt);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        outcome.completeExceptionally(new IllegalStateException("stream closed without an ending"));
                    }
                })
                .open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, body == null));
        if (body != null) {
            stream.writeAndFlush(new DefaultHttp2DataFrame(
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
        }
        return outcome;
    }

    /**
     * Sends a GET on the given (closed) stream again, below the codec (its own HPACK encoder never indexes, so the
     * gateway's table stays in step): what a confused or hostile client does after a stream closed.
     */
    void reuseStream(int streamId) {
        channel.eventLoop().execute(() -> {
            ChannelHandlerContext codec = channel.pipeline().firstContext();
            new DefaultHttp2FrameWriter(Http2HeadersEncoder.ALWAYS_SENSITIVE)
                    .writeHeaders(codec, streamId, get("/"), 0, true, codec.newPromise());
            codec.flush();
        });
    }

    Outcome exchange(Http2Headers headers, String body) throws Exception {
        return send(headers, body).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
