package io.sluice.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback HTTP server for the SDK's tests: HTTP/1.1 keep-alive or h2c by prior knowledge, a programmable handler,
 * and a record of every request (decoded body, whether it came gzipped, which connection) and connection.
 */
final class FakeServer implements AutoCloseable {

    /** What the handler sees; {@code body} already gunzipped. */
    record Exchange(String method, String path, Map<String, String> headers, byte[] body, boolean gzipped,
                    boolean http2, String connection, long nanoTime) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What the handler answers; {@code delayMillis} > 0 answers that much later. */
    record Reply(int status, Map<String, String> headers, byte[] body, long delayMillis, boolean gzip) {
        static Reply of(int status, String contentType, byte[] body) {
            return new Reply(status, contentType == null ? Map.of() : Map.of("content-type", contentType), body, 0, false);
        }

        static Reply text(int status, String text) {
            return of(status, "text/plain", text.getBytes());
        }

        Reply delayed(long millis) {
            return new Reply(status, headers, body, millis, gzip);
        }

        Reply gzipped() {
            return new Reply(status, headers, body, delayMillis, true);
        }

        Reply with(String header, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(header, value);
            return new Reply(status, h, body, delayMillis, gzip);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    private volatile Function<Exchange, Reply> handler;
    final List<Exchange> requests = new CopyOnWriteArrayList<>();
    final Set<String> connections = ConcurrentHashMap.newKeySet();
    final Set<String> openConnections = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeServer(boolean h2c, Function<Exchange, Reply> handler) throws InterruptedException {
        this(h2c, null, handler);
    }

    /** {@code tls} non-null: TLS with ALPN (the context says which protocols); h2 or http/1.1 as negotiated. */
    private FakeServer(boolean h2c, SslContext tls, Function<Exchange, Reply> handler) throws InterruptedException {
        this.handler = handler;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        String id = ch.id().asShortText();
                        connections.add(id);
                        openConnections.add(id);
                        ch.closeFuture().addListener(f -> openConnections.remove(id));
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                                    new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                                        @Override
                                        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                            configure(ctx.pipeline(), id, ApplicationProtocolNames.HTTP_2.equals(protocol));
                                        }
                                    });
                        } else {
                            configure(ch.pipeline(), id, h2c);
                        }
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    private void configure(ChannelPipeline pipeline, String id, boolean h2) {
        if (h2) {
            pipeline.addLast(Http2FrameCodecBuilder.forServer().build(),
                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel stream) {
                            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                    new HttpObjectAggregator(4 << 20), new Handler(id, true));
                        }
                    }));
        } else {
            pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(4 << 20), new Handler(id, false));
        }
    }

    /** TLS with the demo certificate of examples/tls (SAN 127.0.0.1), offering h2 by ALPN only when asked. */
    static FakeServer tls(boolean offerH2, Function<Exchange, Reply> handler) throws Exception {
        SslContext ctx = SslContextBuilder.forServer(TLS_DIR.resolve("localhost-cert.pem").toFile(),
                        TLS_DIR.resolve("localhost-key.pem").toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        offerH2 ? new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1}
                                : new String[] {ApplicationProtocolNames.HTTP_1_1}))
                .build();
        return new FakeServer(false, ctx, handler);
    }

    static final java.nio.file.Path TLS_DIR = java.nio.file.Path.of("..", "examples", "tls");

    static FakeServer http1(Function<Exchange, Reply> handler) throws InterruptedException {
        return new FakeServer(false, handler);
    }

    static FakeServer h2c(Function<Exchange, Reply> handler) throws InterruptedException {
        return new FakeServer(true, handler);
    }

    void handler(Function<Exchange, Reply> handler) {
        this.handler = handler;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String uri() {
        return "http://127.0.0.1:" + port();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String connection;
        private final boolean http2;

        Handler(String connection, boolean http2) {
            this.connection = connection;
            this.http2 = http2;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            Map<String, String> headers = new HashMap<>();
            req.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            byte[] raw = ByteBufUtil.getBytes(req.content());
            boolean gzipped = "gzip".equalsIgnoreCase(headers.get("content-encoding"));
            Exchange exchange = new Exchange(req.method().name(), req.uri(), Map.copyOf(headers),
                    gzipped ? gunzip(raw) : raw, gzipped, http2, connection, System.nanoTime());
            requests.add(exchange);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Reply reply;
            try {
                reply = handler.apply(exchange);
            } catch (RuntimeException e) {
                reply = Reply.text(500, "fake server handler failed: " + e);
            }
            Reply r = reply;
            Runnable send = () -> {
                inFlight.decrementAndGet();
                byte[] body = r.gzip() ? gzip(r.body()) : r.body();
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(body));
                r.headers().forEach((k, v) -> response.headers().set(k, v));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                if (r.gzip()) {
                    response.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
                }
                ctx.writeAndFlush(response);
            };
            if (r.delayMillis() > 0) {
                ctx.executor().schedule(send, r.delayMillis(), TimeUnit.MILLISECONDS);
            } else {
                send.run();
            }
        }
    }

    static byte[] gunzip(byte[] raw) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
