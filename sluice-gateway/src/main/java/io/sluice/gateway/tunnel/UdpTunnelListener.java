package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.concurrent.Future;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.l4.UdpSessionTable;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client UDP listener ({@code listeners[i].protocol: udp}): each client address gets a session, carried as one
 * CONNECT-UDP stream (RFC 9298) to the listener's target; the target's replies come back on the stream and go to
 * that client from the listener's address.
 *
 * <p>The session table is bounded ({@code udp.max_sessions}); a datagram that would open one more is dropped and
 * counted, as is one arriving while no tunnel connection is up (no stream is opened then: the next datagram tries
 * again). While a stream is being opened, up to {@code udp.queue_size} datagrams wait; after that each direction
 * has at most that many in flight ({@link DatagramStream}). A refused stream leaves the session refused (its
 * datagrams dropped and counted) until it idles out, so a client that keeps sending is not a stream per datagram.
 * The listener and its table live on one event loop; the streams on their tunnel connections' loops.
 */
final class UdpTunnelListener extends UdpSessionTable<UdpTunnelListener.Session> {

    private static final Logger log = LoggerFactory.getLogger(UdpTunnelListener.class);

    private final TunnelConfig config;
    private final TunnelConfig.Listener listener;
    private final TunnelConnections connections;
    private final TunnelMetrics metrics;

    private UdpTunnelListener(TunnelConfig config, TunnelConfig.Listener listener, TunnelConnections connections,
                              TunnelMetrics metrics) {
        super(config.udp().idleTimeout());
        this.config = config;
        this.listener = listener;
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Binds the listener on one loop of {@code group}; returns its channel once it receives. */
    static Channel bind(TunnelConfig config, TunnelConfig.Listener listener, TunnelConnections connections,
                        Transport transport, EventLoopGroup group, TunnelMetrics metrics) throws IOException {
        return bind(new UdpTunnelListener(config, listener, connections, metrics), transport, group.next(),
                listener.host(), listener.port(), "tunnel UDP listener " + listener.name());
    }

    @Override
    protected Session open(InetSocketAddress client) {
        if (size() >= config.udp().maxSessions()) {
            metrics.dropped(TunnelMetrics.DatagramDrop.SESSION_LIMIT);
            return null;
        }
        TunnelConnections.Slot slot = connections.pick(channel().eventLoop());
        if (slot == null) {
            metrics.dropped(TunnelMetrics.DatagramDrop.NO_TUNNEL);
            return null;
        }
        if (!metrics.tryOpen(config.limits().maxConcurrentStreams())) {
            metrics.dropped(TunnelMetrics.DatagramDrop.NO_TUNNEL);
            return null;
        }
        Session session = new Session(client);
        metrics.udpSessionOpened();
        session.start(slot);
        return session;
    }

    @Override
    protected void sendFailed() {
        metrics.dropped(TunnelMetrics.DatagramDrop.SEND_FAILED);
    }

    /** The tunnel server as {@code :authority} (RFC 9298: the proxy, not the target). */
    private String proxyAuthority() {
        String host = config.server().host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + config.server().port();
    }

    private enum State { OPENING, OPEN, REFUSED, CLOSED }

    /**
     * One client address's session. Its fields belong to the listener's event loop. An open session ends with its
     * stream ({@link DatagramStream} times it out); the table's sweep ends one refused or never answered.
     */
    final class Session implements UdpSessionTable.Session {
        private final InetSocketAddress client;
        private final EventLoop loop = channel().eventLoop();
        private ArrayDeque<ByteBuf> waiting = new ArrayDeque<>(4);
        private State state = State.OPENING;
        private long lastActivity = System.nanoTime();
        private volatile Channel stream;
        private DatagramStream relay;
        private boolean released;
        private boolean ended;

        Session(InetSocketAddress client) {
            this.client = client;
        }

        void start(TunnelConnections.Slot slot) {
            new Http2StreamChannelBootstrap(slot.channel())
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Answer())
                    .open()
                    .addListener((Future<Http2StreamChannel> f) -> {
                        if (!f.isSuccess()) {
                            log.debug("tunnel: {} could not open a stream: {}", listener.name(), f.cause().toString());
                            loop.execute(this::close);
                            return;
                        }
                        Http2StreamChannel s = f.getNow();
                        stream = s;
                        slot.streams.incrementAndGet();
                        s.closeFuture().addListener(c -> {
                            slot.streams.decrementAndGet();
                            loop.execute(this::streamGone);
                        });
                        loop.execute(() -> {
                            if (state != State.OPENING) {
                                s.close(); // the session ended while its stream was being opened
                                return;
                            }
                            s.writeAndFlush(ExtendedConnect.udpRequest(proxyAuthority(), listener.targetHost(),
                                    listener.targetPort(), config.token().orElse(null)));
                            s.read();
                        });
                    });
        }

        /** A datagram from the client, owned by this; returns true when the stream needs a flush. */
        @Override
        public boolean fromClient(ByteBuf payload) {
            lastActivity = System.nanoTime();
            switch (state) {
                case OPEN -> {
                    return relay.send(payload);
                }
                case OPENING -> {
                    if (waiting.size() >= config.udp().queueSize()) {
                        payload.release();
                        metrics.dropped(TunnelMetrics.DatagramDrop.QUEUE_FULL);
                    } else {
                        waiting.add(payload);
                    }
                }
                case REFUSED -> {
                    payload.release();
                    metrics.dropped(TunnelMetrics.DatagramDrop.REFUSED);
                }
                default -> {
                    payload.release();
                    metrics.dropped(TunnelMetrics.DatagramDrop.NO_TUNNEL);
                }
            }
            return false;
        }

        /** The server answered 200 (runs on the listener loop): what waited goes out first. */
        private void opened(DatagramStream relay) {
            if (state != State.OPENING) {
                return;
            }
            this.relay = relay;
            state = State.OPEN;
            ByteBuf b;
            while ((b = waiting.poll()) != null) {
                relay.send(b);
            }
            relay.flush();
        }

        private void refused() {
            if (state == State.OPENING) {
                state = State.REFUSED;
                dropWaiting(TunnelMetrics.DatagramDrop.REFUSED);
            }
        }

        private void streamGone() {
            releaseStream();
            if (state != State.REFUSED && waiting != null) {
                state = State.CLOSED;
                dropWaiting(TunnelMetrics.DatagramDrop.NO_TUNNEL);
            }
        }

        private void releaseStream() {
            if (!released) {
                released = true;
                metrics.closed();
            }
        }

        private void dropWaiting(TunnelMetrics.DatagramDrop reason) {
            ByteBuf b;
            while ((b = waiting.poll()) != null) {
                b.release();
                metrics.dropped(reason);
            }
        }

        @Override
        public boolean isClosed() {
            return state == State.CLOSED;
        }

        @Override
        public boolean idle(long now, long idleNanos) {
            return state != State.OPEN && now - lastActivity >= idleNanos;
        }

        /** Removed from the table: the stream is reset, the counts released. Listener loop. */
        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            state = State.CLOSED;
            dropWaiting(TunnelMetrics.DatagramDrop.NO_TUNNEL);
            waiting = null;
            Channel s = stream;
            if (s != null) {
                s.close();
            } else {
                releaseStream();
            }
            metrics.udpSessionClosed();
        }

        /** Flushes what {@link #fromClient} wrote to the stream in this read batch. */
        @Override
        public void flush() {
            if (relay != null) {
                relay.flush();
            }
        }

        /** The stream's datagrams go to the client from the listener's address. */
        private final DatagramStream.UdpSide toClient = new DatagramStream.UdpSide() {
            @Override
            public ChannelFuture write(ByteBuf payload) {
                return channel().write(new DatagramPacket(payload, client));
            }

            @Override
            public void flush() {
                channel().flush();
            }

            @Override
            public void streamClosed() {
                // the stream's closeFuture already tells the listener loop (streamGone)
            }
        };

        /** Waits for the server's answer on the stream: 200 joins it, anything else refuses the session. */
        private final class Answer extends ConnectAnswer {

            Answer() {
                super(metrics);
            }

            @Override
            void accepted(ChannelHandlerContext ctx, Http2Headers headers) {
                DatagramStream relay = DatagramStream.join(ctx.channel(), new DatagramStream(toClient,
                        metrics, config.udp().queueSize(), config.udp().idleTimeout(), false));
                loop.execute(() -> opened(relay));
            }

            @Override
            void refused(CharSequence status, Http2Headers headers) {
                log.warn("tunnel: {} -> {} (udp) refused by the server: {} {}", listener.name(), listener.target(),
                        status, headers.get(ExtendedConnect.PROXY_STATUS));
                loop.execute(Session.this::refused);
            }

            @Override
            void closedUnanswered() {
                loop.execute(Session.this::refused);
            }
        }
    }
}
