package io.sluice.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 backend on an ephemeral loopback port, for end-to-end tests. It never buffers
 * a body: uploads are counted as they stream in, downloads are generated with backpressure.
 *
 * <p>Behaviour is chosen per request by path:
 * <ul>
 *   <li>{@code /echo-headers}: answers with the request headers it received, one per line;
 *   <li>{@code /count}: reads the whole body and answers with the number of bytes received;
 *   <li>{@code /download?bytes=N}: streams N bytes (chunked), pausing whenever the socket is full;
 *   <li>{@code /sleep?ms=N}: answers after N milliseconds;
 *   <li>{@code /text?bytes=N}: N bytes of compressible {@code text/plain};
 *   <li>{@code /silent}: never answers;
 *   <li>{@code /health}: {@code 200 ok}, or {@code 503} after {@link #healthy(boolean) healthy(false)};
 *   <li>anything else: {@code 200 <name>}.
 * </ul>
 */
public final class TestBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final io.netty.channel.group.ChannelGroup connections =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private final AtomicInteger requestsReceived = new AtomicInteger();
    private final List<HttpHeaders> receivedHeaders = new CopyOnWriteArrayList<>();
    private volatile boolean healthy = true;

    private TestBackend(String name) throws InterruptedException {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connectionsAccepted.incrementAndGet();
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public static TestBackend start(String name) {
        try {
            return new TestBackend(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String name() {
        return name;
    }

    /** What {@code /health} answers from now on: 200 when true, 503 when false. */
    public void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    public int requestsReceived() {
        return requestsReceived.get();
    }

    /** Headers of every request received, in order. */
    public List<HttpHeaders> receivedHeaders() {
        return List.copyOf(receivedHeaders);
    }

    @Override
    public void close() {
        // Like a process that dies: the listener goes and every open connection is closed, not left hanging.
        server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private HttpRequest request;
        private long bodyBytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    request = r;
                    bodyBytes = 0;
                    requestsReceived.incrementAndGet();
                    receivedHeaders.add(r.headers().copy());
                }
                if (msg instanceof HttpContent c) {
                    bodyBytes += c.content().readableBytes();
                }
                if (msg instanceof LastHttpContent && request != null) {
                    HttpRequest r = request;
                    request = null;
                    respond(ctx, r, bodyBytes);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest r, long received) {
            String path = r.uri();
            if (path.startsWith("/silent")) {
                return;
            }
            if (path.startsWith("/health")) {
                if (healthy) {
                    text(ctx, r, "ok");
                } else {
                    FullHttpResponse down = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.copiedBuffer("down", StandardCharsets.UTF_8));
                    down.headers().set(HttpHeaderNames.CONTENT_LENGTH, 4);
                    ctx.writeAndFlush(down);
                }
                return;
            }
            if (path.startsWith("/sleep")) {
                long ms = Long.parseLong(query(path, "ms", "100"));
                ctx.executor().schedule(() -> text(ctx, r, name), ms, TimeUnit.MILLISECONDS);
            } else if (path.startsWith("/echo-headers")) {
                StringBuilder sb = new StringBuilder();
                r.headers().forEach(h -> sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n'));
                text(ctx, r, sb.toString());
            } else if (path.startsWith("/count")) {
                text(ctx, r, Long.toString(received));
            } else if (path.startsWith("/text")) {
                int n = Integer.parseInt(query(path, "bytes", "1000"));
                text(ctx, r, "sluice streams; ".repeat(n / 16 + 1).substring(0, n));
            } else if (path.startsWith("/download")) {
                download(ctx, r, Long.parseLong(query(path, "bytes", "0")));
            } else {
                text(ctx, r, name);
            }
        }

        private void text(ChannelHandlerContext ctx, HttpRequest r, String body) {
            ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes()).set("x-backend", name)
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            HttpUtil.setKeepAlive(response, keepAlive);
            var f = ctx.writeAndFlush(response);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void download(ChannelHandlerContext ctx, HttpRequest r, long total) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setTransferEncodingChunked(head, true);
            head.headers().set("x-backend", name);
            ctx.write(head);
            new Object() {
                long left = total;

                void pump() {
                    while (left > 0 && ctx.channel().isWritable()) {
                        int n = (int) Math.min(left, 16 * 1024);
                        ByteBuf chunk = ctx.alloc().buffer(n);
                        chunk.writerIndex(n); // contents do not matter, length does
                        left -= n;
                        ctx.write(new DefaultHttpContent(chunk));
                    }
                    if (left == 0) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        return;
                    }
                    ctx.flush();
                    // Wait for the socket to drain rather than queueing the whole body in memory.
                    ctx.executor().schedule(this::pump, 1, TimeUnit.MILLISECONDS);
                }
            }.pump();
        }
    }

    static String query(String uri, String key, String fallback) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return fallback;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return pair.substring(eq + 1);
            }
        }
        return fallback;
    }

    /** How long tests wait for something that should happen promptly. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);
}
