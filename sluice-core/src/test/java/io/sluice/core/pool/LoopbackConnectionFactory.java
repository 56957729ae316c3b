package io.sluice.core.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Opens real NIO sockets to a loopback address, counting connects; the next connect can be replaced. */
final class LoopbackConnectionFactory implements ConnectionFactory {

    private final SocketAddress address;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicReference<Function<EventLoop, Future<Channel>>> next = new AtomicReference<>();

    LoopbackConnectionFactory(SocketAddress address) {
        this.address = address;
    }

    @Override
    public Future<Channel> connect(EventLoop eventLoop) {
        connects.incrementAndGet();
        Function<EventLoop, Future<Channel>> override = next.getAndSet(null);
        return override != null ? override.apply(eventLoop) : open(eventLoop, address);
    }

    /** Connects the pool asked for so far. */
    int connects() {
        return connects.get();
    }

    /** The next connect returns what {@code override} returns instead of opening a socket. */
    void replaceNextConnect(Function<EventLoop, Future<Channel>> override) {
        next.set(override);
    }

    static Future<Channel> open(EventLoop loop, SocketAddress address) {
        Promise<Channel> promise = loop.newPromise();
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(connect.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** A loopback address nothing listens on: connecting to it is refused. */
    static InetSocketAddress refusingAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
    }
}
