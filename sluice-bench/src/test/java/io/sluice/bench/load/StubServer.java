package io.sluice.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny loopback server for the generator's tests: HTTP/1.1 ({@link #http1}) whose request number
 * {@code stallAt} is answered {@code stallMillis} late (once), or h2c by prior knowledge ({@link #h2c}).
 * Counts the requests it answers.
 */
final class StubServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger requests = new AtomicInteger();

    private StubServer(SslContext tls, ChannelInitializer<Channel> init) throws InterruptedException {
        ChannelInitializer<Channel> child = tls == null ? init : new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc()), init);
            }
        };
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(child)
                .bind("127.0.0.1", 0).sync().channel();
    }

    /**
     * A server TLS context from the repository's demo certificate (examples/tls, CN=localhost), offering ALPN
     * {@code protocol} only, so a test knows which protocol the generator must have negotiated.
     */
    static SslContext tls(String protocol) throws SSLException {
        Path dir = Path.of("..", "examples", "tls");
        return SslContextBuilder.forServer(dir.resolve("localhost-cert.pem").toFile(),
                        dir.resolve("localhost-key.pem").toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
    }

    static StubServer http1(int stallAt, long stallMillis) throws InterruptedException {
        return http1(stallAt, stallMillis, null);
    }

    static StubServer http1(int stallAt, long stallMillis, SslContext tls) throws InterruptedException {
        StubServer[] self = new StubServer[1];
        self[0] = new StubServer(tls, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        boolean last = msg instanceof LastHttpContent;
                        boolean head = msg instanceof HttpRequest;
                        ReferenceCountUtil.release(msg);
                        if (head) {
                            self[0].requests.incrementAndGet();
                        }
                        if (!last) {
                            return;
                        }
                        int n = self[0].requests.get();
                        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
                        if (n == stallAt) {
                            ctx.executor().schedule(() -> ctx.writeAndFlush(r), stallMillis, TimeUnit.MILLISECONDS);
                        } else {
                            ctx.writeAndFlush(r);
                        }
                    }
                });
            }
        });
        return self[0];
    }

    static StubServer h2c() throws InterruptedException {
        return h2(null);
    }

    /** HTTP/2: by prior knowledge when {@code tls} is null, else over TLS (offer ALPN h2 in {@code tls}). */
    static StubServer h2(SslContext tls) throws InterruptedException {
        StubServer[] self = new StubServer[1];
        self[0] = new StubServer(tls, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(
                        new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel stream) {
                                stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        boolean end = msg instanceof Http2HeadersFrame h && h.isEndStream()
                                                || msg instanceof Http2DataFrame d && d.isEndStream();
                                        ReferenceCountUtil.release(msg);
                                        if (end) {
                                            self[0].requests.incrementAndGet();
                                            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                                            ctx.writeAndFlush(new DefaultHttp2DataFrame(
                                                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII), true));
                                        }
                                    }
                                });
                            }
                        }));
            }
        });
        return self[0];
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
