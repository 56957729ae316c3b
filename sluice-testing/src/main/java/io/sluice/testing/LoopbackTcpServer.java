package io.sluice.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on {@code 127.0.0.1} and a free port that accepts connections, counts them,
 * discards whatever they send, and can close them from its side (a backend dropping idle
 * connections). For tests of anything that opens connections: pools, health checks, proxies.
 *
 * <pre>{@code
 * try (LoopbackTcpServer server = LoopbackTcpServer.start()) {
 *     connectTo(server.address());
 *     await().until(() -> server.accepted() == 1);
 * }
 * }</pre>
 */
public final class LoopbackTcpServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger accepted = new AtomicInteger();

    private LoopbackTcpServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loopback-server", true), NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.incrementAndGet();
                            clients.add(ch);
                            ch.pipeline().addLast(new Discard());
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts a server; close it when done. */
    public static LoopbackTcpServer start() throws InterruptedException {
        return new LoopbackTcpServer();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Connections accepted since start. */
    public int accepted() {
        return accepted.get();
    }

    /** Accepted connections still open. */
    public int open() {
        return clients.size();
    }

    /** Closes every accepted connection from the server's side, as a backend dropping idle ones does. */
    public void closeClients() {
        clients.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        clients.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
