package io.sluice.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Works around a Netty 4.2 epoll defect that loses the tail of a half-closed connection.
 *
 * <p>Netty 4.2.18/4.2.20 removes a channel's fd from the epoll set (EPOLL_CTL_DEL) when its interest set becomes
 * empty, but keeps believing it is registered: the next interest change is an EPOLL_CTL_MOD, which fails with
 * ENOENT. A TCP channel reaches the empty set in the most ordinary half-close: the peer's FIN clears EPOLLRDHUP and
 * EPOLLIN, and nothing is waiting to be written at that moment. When the other direction later fills the socket's
 * send buffer, Netty asks for EPOLLOUT, the MOD fails with an unchecked exception, and Netty shuts the output down
 * and fails every queued write: the receiver sees a clean FIN after a truncated stream (measured: 8 MB answered
 * after the client's FIN arrived as 4.2 MB).
 *
 * <p>{@link #pin} adds EPOLLERR to the channel's interest set. The kernel reports EPOLLERR whether asked or not, so
 * this changes no event the channel receives; it only keeps the set from ever being empty, so the fd stays
 * registered until the channel closes. Call it once the channel is active (Netty adds an fd to epoll only then).
 * No-op on NIO, or if a later Netty moves the method (then this class is obsolete anyway).
 */
public final class EpollInterest {

    private static final MethodHandle SET_FLAG = setFlag();

    private EpollInterest() {
    }

    private static MethodHandle setFlag() {
        try {
            var method = Class.forName("io.netty.channel.epoll.AbstractEpollChannel", false,
                    AbstractEpollStreamChannel.class.getClassLoader()).getDeclaredMethod("setFlag", int.class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(void.class, AbstractEpollStreamChannel.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Keeps an active epoll TCP channel registered with epoll until it closes. Call on its event loop. */
    public static void pin(Channel channel) {
        if (SET_FLAG == null || !(channel instanceof AbstractEpollStreamChannel epoll) || !channel.isActive()) {
            return;
        }
        try {
            SET_FLAG.invokeExact(epoll, Native.EPOLLERR);
        } catch (Throwable e) {
            channel.pipeline().fireExceptionCaught(e);
        }
    }
}
