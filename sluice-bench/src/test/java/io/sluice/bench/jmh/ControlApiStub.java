package io.sluice.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A minimal loopback stand-in for the control API for {@link ClientBenchmark}: every GET answers one backend
 * document, {@code POST /api/v1/batch} decodes the operations and answers as many results; JSON or MessagePack by
 * {@code Accept}, as the real server does. HTTP/1.1 keep-alive, one event loop.
 */
final class ControlApiStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final ObjectNode backend = backend();
    private final byte[] backendJson;
    private final byte[] backendMsgpack;

    ControlApiStub() throws Exception {
        backendJson = JSON.writeValueAsBytes(backend);
        backendMsgpack = MSGPACK.writeValueAsBytes(backend);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static ObjectNode backend() {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("address", "127.0.0.1:8081").put("host", "127.0.0.1")
                .put("port", 8081).put("weight", 100).put("effective_weight", 100).put("admin_state", "enabled")
                .put("health", "healthy").put("ejected", false).put("usable", true).put("in_flight", 3);
        b.putObject("pool").put("total", 5).put("active", 3).put("idle", 2).put("pending", 0);
        return b;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
            boolean mp = String.valueOf(req.headers().get(HttpHeaderNames.ACCEPT)).contains("msgpack");
            byte[] body;
            if (req.uri().equals("/api/v1/batch")) {
                boolean inMp = String.valueOf(req.headers().get(HttpHeaderNames.CONTENT_TYPE)).contains("msgpack");
                java.io.InputStream in = new ByteBufInputStream(req.content());
                if ("gzip".equalsIgnoreCase(req.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
                    in = new java.util.zip.GZIPInputStream(in);
                }
                JsonNode ops = (inMp ? MSGPACK : JSON).readTree(in).path("operations");
                ObjectNode res = JsonNodeFactory.instance.objectNode();
                ArrayNode results = res.putArray("results");
                for (int i = 0; i < ops.size(); i++) {
                    results.addObject().put("status", 200).set("body", backend);
                }
                body = (mp ? MSGPACK : JSON).writeValueAsBytes(res);
            } else {
                body = mp ? backendMsgpack : backendJson;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, mp ? "application/msgpack" : "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(r);
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
