package io.sluice.gateway.l4;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The handler of a UDP listener that keeps one session per client address: the L4 forwarder's (a socket to a
 * backend per client) and the tunnel client's (a CONNECT-UDP stream per client). The listener and its table live on
 * one event loop, so the table is a plain map.
 *
 * <p>A datagram from a new address opens a session ({@link #open}, which may refuse and count why); one from an
 * address whose session has closed replaces it. Writes toward the sessions are flushed once per read batch. A
 * sweep, every quarter of {@code idle_timeout} (10 ms to 1 s), removes sessions that have closed or that
 * {@link Session#idle} says have idled out.
 */
public abstract class UdpSessionTable<S extends UdpSessionTable.Session> extends ChannelInboundHandlerAdapter {

    /** One client address's session, as the table sees it; called on the listener's event loop only. */
    public interface Session {
        /** A datagram from the client, which this takes ownership of; true when {@link #flush} is needed. */
        boolean fromClient(ByteBuf payload);

        /** Flushes what {@link #fromClient} wrote in this read batch. */
        void flush();

        /** Over: the next datagram from its client opens a new session. */
        boolean isClosed();

        /** Whether the sweep at {@code now} (nanos) ends it for having idled {@code idleNanos}. */
        boolean idle(long now, long idleNanos);

        /** Removed from the table: releases what it holds. May be called more than once. */
        void close();
    }

    private final Map<InetSocketAddress, S> sessions = new HashMap<>();
    private final List<S> dirty = new ArrayList<>();
    private final long idleNanos;
    private Channel channel;

    protected UdpSessionTable(Duration idleTimeout) {
        this.idleNanos = idleTimeout.toNanos();
    }

    /**
     * Binds {@code table} as a UDP listener on {@code loop}; returns its channel once it receives.
     * {@code what} names it in the error ("udp listener dns").
     */
    public static Channel bind(UdpSessionTable<?> table, Transport transport, EventLoop loop, String host, int port,
                               String what) throws IOException {
        ChannelFuture bound = new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpForwarder.readAllocator())
                .handler(table)
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind " + what + " to " + host + ":" + port + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    /**
     * A session for a datagram from a new client address, already started; or null, having counted why, when the
     * datagram is to be dropped.
     */
    protected abstract S open(InetSocketAddress client);

    /** A session has left the table; {@code idle} when the sweep ended it for idleness. */
    protected void removed(S session, boolean idle) {
    }

    /** A send on the shared socket failed (ICMP from one client): counted; the listener keeps going. */
    protected abstract void sendFailed();

    /** The listener's channel, once active. */
    protected final Channel channel() {
        return channel;
    }

    /** Sessions in the table (read on the event loop; approximate from elsewhere). */
    public final int size() {
        return sessions.size();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(1)));
        var sweeper = ctx.executor().scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
        ctx.channel().closeFuture().addListener(f -> sweeper.cancel(false));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        InetSocketAddress client = packet.sender();
        S session = sessions.get(client);
        if (session != null && session.isClosed()) {
            sessions.remove(client);
            session.close();
            removed(session, false);
            session = null;
        }
        if (session == null) {
            session = open(client);
            if (session == null) {
                packet.release();
                return;
            }
            sessions.put(client, session);
        }
        ByteBuf payload = UdpForwarder.rightSized(packet.content());
        packet.release();
        if (session.fromClient(payload)) {
            dirty.add(session);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (S session : dirty) {
            session.flush();
        }
        dirty.clear();
        ctx.fireChannelReadComplete();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<S> it = sessions.values().iterator(); it.hasNext(); ) {
            S session = it.next();
            boolean idle = session.idle(now, idleNanos);
            if (idle || session.isClosed()) {
                it.remove();
                session.close();
                removed(session, idle);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (S session : sessions.values()) {
            session.close();
            removed(session, false);
        }
        sessions.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        sendFailed();
    }
}
