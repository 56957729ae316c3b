package io.sluice.gateway.l4;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.PickContext;
import io.sluice.core.config.UdpListenerConfig;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One {@code udp:} listener: forwards each client's datagrams to the backend its session was given, and the
 * backend's replies back to that client. The session table (client address to {@link UdpSession}) is bounded by
 * {@code max_sessions}; a datagram that would open one more is dropped and counted. Sessions idle for
 * {@code idle_timeout} are closed by a sweep. The listener and all its sessions' upstream sockets live on one event
 * loop, so the table is a plain map.
 */
public final class UdpForwarder implements AutoCloseable {

    /** The largest UDP payload over IPv4; reads use buffers this big so no datagram is cut short. */
    static final int MAX_DATAGRAM = 65_535;

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
        Channel channel = UdpSessionTable.bind(table, transport, loop, config.host(), config.port(),
                "udp listener " + config.name());
        return new UdpForwarder(config, channel, table);
    }

    public String name() {
        return config.name();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Sessions open now (read on the event loop; approximate from elsewhere). */
    public int sessions() {
        return table.size();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    /**
     * Reads up to 16 datagrams per wake-up (the allocator's own default is one, which would cost an epoll round
     * and a flush per datagram); a datagram never fills its buffer, so "maybe more data" must not stop the loop.
     */
    public static RecvByteBufAllocator readAllocator() {
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
    private static final class Table extends UdpSessionTable<UdpSession> {

        private final UdpListenerConfig config;
        private final BackendGroup group;
        private final Bootstrap upstream;
        private final UdpStats stats;

        Table(UdpListenerConfig config, BackendGroup group, Bootstrap upstream, UdpStats stats) {
            super(config.idleTimeout());
            this.config = config;
            this.group = group;
            this.upstream = upstream;
            this.stats = stats;
        }

        @Override
        protected UdpSession open(InetSocketAddress client) {
            if (size() >= config.maxSessions()) {
                stats.dropped(UdpStats.Drop.SESSION_LIMIT);
                return null;
            }
            Backend backend = group.pick(new ClientOnly(client));
            if (backend == null) {
                stats.dropped(UdpStats.Drop.NO_BACKEND);
                return null;
            }
            UdpSession session = new UdpSession(client, channel(), config.queueSize(), stats);
            InetSocketAddress target = new InetSocketAddress(backend.config().host(), backend.config().port());
            session.connecting(upstream.clone().handler(session).connect(target));
            stats.opened();
            return session;
        }

        @Override
        protected void removed(UdpSession session, boolean idle) {
            stats.closed(idle);
        }

        @Override
        protected void sendFailed() {
            // e.g. ICMP from one client
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
