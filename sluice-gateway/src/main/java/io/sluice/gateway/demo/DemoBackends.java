package io.sluice.gateway.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.gateway.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Small HTTP servers on loopback for {@code sluice demo}: each answers every request with its
 * own name after a few milliseconds, so balancing and latency show up in the demo's metrics.
 * Request bodies are read and dropped as they arrive, never held.
 */
public final class DemoBackends implements AutoCloseable {

    private final List<Channel> servers;
    private final List<String> names;

    private DemoBackends(List<Channel> servers, List<String> names) {
        this.servers = servers;
        this.names = names;
    }

    /**
     * Starts {@code count} backends named {@code demo-1..N} on 127.0.0.1, on ephemeral ports.
     *
     * @param maxLatencyMillis each response waits a random 0..max milliseconds
     */
    public static DemoBackends start(Transport transport, EventLoopGroup group, int count, int maxLatencyMillis)
            throws InterruptedException {
        List<Channel> servers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = "demo-" + i;
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new Responder(name, maxLatencyMillis));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            servers.add(server);
            names.add(name);
        }
        return new DemoBackends(servers, names);
    }

    public List<Integer> ports() {
        return servers.stream().map(s -> ((java.net.InetSocketAddress) s.localAddress()).getPort()).toList();
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public void close() {
        servers.forEach(Channel::close);
    }

    private static final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        private final String name;
        private final int maxLatencyMillis;
        private HttpRequest request;
        private long bodyBytes;

        Responder(String name, int maxLatencyMillis) {
            this.name = name;
            this.maxLatencyMillis = maxLatencyMillis;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
                bodyBytes = 0;
            }
            if (msg instanceof io.netty.handler.codec.http.HttpContent c) {
                bodyBytes += c.content().readableBytes();
            }
            if (msg instanceof LastHttpContent && request != null) {
                HttpRequest answered = request;
                long received = bodyBytes;
                request = null;
                int delay = maxLatencyMillis == 0 ? 0 : ThreadLocalRandom.current().nextInt(maxLatencyMillis + 1);
                ctx.executor().schedule(() -> respond(ctx, answered, received), delay, TimeUnit.MILLISECONDS);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest request, long received) {
            String text = "hello from " + name + " (" + request.method() + " " + request.uri()
                    + (received > 0 ? ", " + received + " body bytes" : "") + ")\n";
            ByteBuf body = ctx.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set("x-demo-backend", name);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            // HttpServerKeepAliveHandler closes the connection after a non-keep-alive response.
            ctx.writeAndFlush(response);
        }
    }
}
