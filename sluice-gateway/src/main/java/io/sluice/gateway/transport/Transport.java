package io.sluice.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket implementation Sluice runs on: native epoll on Linux when its library loads, NIO otherwise.
 * One choice per process, so client and server channels of a proxied exchange share event loops.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class);

    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;

    Transport(Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel) {
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** Epoll when available (unless {@code -Dsluice.transport=nio}), else NIO. */
    public static Transport best() {
        if ("nio".equalsIgnoreCase(System.getProperty("sluice.transport"))) {
            return NIO;
        }
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }

    /** The datagram channel class of this transport (UDP listeners and their upstream sockets). */
    public Class<? extends Channel> datagramChannel() {
        return this == EPOLL ? io.netty.channel.epoll.EpollDatagramChannel.class
                : io.netty.channel.socket.nio.NioDatagramChannel.class;
    }

    /** A group of {@code threads} event loops whose threads are named {@code prefix-N}. */
    public EventLoopGroup newEventLoopGroup(int threads, String prefix) {
        IoHandlerFactory io = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), io);
    }

    /** Whether TCP_QUICKACK can be set (epoll only). */
    public boolean supportsQuickAck() {
        return this == EPOLL;
    }
}
