package io.sluice.gateway.l4;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.PickContext;
import io.sluice.core.config.UdpListenerConfig;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code udp:} listener: forwards each client's datagrams to the backend its session was given, and the
 * backend's replies back to that client. The session table (client address to {@link UdpSession}) is bounded by
 * {@code max_sessions}; a datagram that would open one more is dropped and counted. Sessions idle for
 * {@code idle_timeout} are closed by a sweep. The listener and all its sessions' upstream sockets live on one event
 * loop, so the table is a plain map.
 */
public final class UdpForwarder implements AutoCloseable {

    /** The largest UDP payload over IPv4; reads use buffers this big so no datagram is cut short. */
    public static final int MAX_DATAGRAM = 65_535;

    private final UdpListenerConfig config;
    private final Channel channel;
    private final Table table;

    private UdpForwarder(UdpListenerConfig config, Channel channel, Table table) {
        this.config = config;
        this.channel = channel;
        this.table = table;
    }

    /** Binds the listener; returns once it receives. */
    public static UdpForwarder start(UdpListenerConfig config, BackendGroup group, Transport transport,
                                     EventLoopGroup loops, MeterRegistry registry) throws IOException {
        UdpStats stats = new UdpStats(registry, config.name());
        EventLoop loop = loops.next();
        Bootstrap upstream = new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, readAllocator());
        Table table = new Table(config, group, upstream, stats);
        ChannelFuture bound = new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, readAllocator())
                .handler(table)
                .bind(config.host(), config.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind udp listener " + config.name() + " to " + config.host() + ":"
                    + config.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        return new UdpForwarder(config, bound.channel(), table);
    }

    public String name() {
        return config.name();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Sessions open now (read on the event loop; approximate from elsewhere). */
    public int sessions() {
        return table.sessions.size();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    /**
     * Reads up to 16 datagrams per wake-up (the allocator's own default is one, which would cost an epoll round
     * and a flush per datagram); a datagram never fills its buffer, so "maybe more data" must not stop the loop.
     */
    private static io.netty.channel.RecvByteBufAllocator readAllocator() {
        return new FixedRecvByteBufAllocator(MAX_DATAGRAM).respectMaybeMoreData(false).maxMessagesPerRead(16);
    }

    /**
     * A read buffer sized for the largest datagram would pin 64 KiB per queued datagram; small ones are copied
     * into a buffer of their own size. Returns a buffer the caller owns; {@code content} stays the caller's to
     * release.
     */
    public static ByteBuf rightSized(ByteBuf content) {
        if (content.capacity() - content.readableBytes() < 4096) {
            return content.retain();
        }
        ByteBuf copy = content.alloc().directBuffer(content.readableBytes());
        copy.writeBytes(content, content.readerIndex(), content.readableBytes());
        return copy;
    }

    /** The listener's handler: the session table. */
    private static final class Table extends ChannelInboundHandlerAdapter {

        private final UdpListenerConfig config;
        private final BackendGroup group;
        private final Bootstrap upstream;
        private final UdpStats stats;
        private final Map<InetSocketAddress, UdpSession> sessions = new HashMap<>();
        private final List<UdpSession> dirty = new ArrayList<>();
        private final long idleNanos;
        private Channel listener;

        Table(UdpListenerConfig config, BackendGroup group, Bootstrap upstream, UdpStats stats) {
            this.config = config;
            this.group = group;
            this.upstream = upstream;
            this.stats = stats;
            this.idleNanos = config.idleTimeout().toNanos();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            listener = ctx.channel();
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
            UdpSession session = sessions.get(client);
            if (session == null || session.isClosed()) {
                if (session != null) {
                    remove(session, false);
                }
                session = open(client);
                if (session == null) {
                    packet.release();
                    return;
                }
            }
            ByteBuf content = rightSized(packet.content());
            packet.release();
            if (session.toBackend(content)) {
                dirty.add(session);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            for (UdpSession session : dirty) {
                session.flushUpstream();
            }
            dirty.clear();
            ctx.fireChannelReadComplete();
        }

        private UdpSession open(InetSocketAddress client) {
            if (sessions.size() >= config.maxSessions()) {
                stats.dropped(UdpStats.Drop.SESSION_LIMIT);
                return null;
            }
            Backend backend = group.pick(new ClientOnly(client));
            if (backend == null) {
                stats.dropped(UdpStats.Drop.NO_BACKEND);
                return null;
            }
            UdpSession session = new UdpSession(client, listener, config.queueSize(), stats);
            InetSocketAddress target = new InetSocketAddress(backend.config().host(), backend.config().port());
            session.connecting(upstream.clone().handler(session).connect(target));
            sessions.put(client, session);
            stats.opened();
            return session;
        }

        private void sweep() {
            long now = System.nanoTime();
            for (Iterator<UdpSession> it = sessions.values().iterator(); it.hasNext(); ) {
                UdpSession session = it.next();
                boolean idle = now - session.lastActivity >= idleNanos;
                if (idle || session.isClosed()) {
                    it.remove();
                    session.close();
                    stats.closed(idle);
                }
            }
        }

        private void remove(UdpSession session, boolean idle) {
            sessions.remove(session.client());
            session.close();
            stats.closed(idle);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (UdpSession session : sessions.values()) {
                session.close();
                stats.closed(false);
            }
            sessions.clear();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A send error on the shared socket (e.g. ICMP from one client) must not stop the listener.
            stats.dropped(UdpStats.Drop.SEND_FAILED);
        }
    }

    /** What the balancer may know of a new session: the client's address ({@code ip_hash} keeps it sticky). */
    private record ClientOnly(SocketAddress clientAddress) implements PickContext {
        @Override
        public String header(String name) {
            return null;
        }
    }
}
