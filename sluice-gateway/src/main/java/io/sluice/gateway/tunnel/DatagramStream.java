package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 half of a CONNECT-UDP session (RFC 9298), for both roles: DATAGRAM capsules read from the stream
 * become datagrams for the {@link UdpSide}; datagrams from the UDP side become capsules written to the stream.
 *
 * <p>UDP is never back-pressured and never queued without bound: each direction has at most {@code queueSize}
 * datagrams in flight (written, not yet sent), and the next one is dropped and counted
 * ({@code sluice_tunnel_udp_dropped_total{reason="queue_full"}}). The stream is therefore read continuously, which
 * returns its flow-control window as fast as datagrams arrive. A session with no datagram either way for
 * {@code udp.idle_timeout} ends (the stream is reset, the UDP side closed).
 */
final class DatagramStream extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DatagramStream.class);

    /** The UDP end of the session: a connected socket (server) or the listener plus one client address (client). */
    interface UdpSide {
        /** Writes one datagram, which it owns, without flushing. Any thread. */
        ChannelFuture write(ByteBuf payload);

        void flush();

        /** The stream has closed: the session is over. */
        void streamClosed();
    }

    private final UdpSide udp;
    private final TunnelMetrics metrics;
    private final int queueSize;
    private final boolean towardTarget;
    private final long idleNanos;
    private final Capsules.Reader reader = new Capsules.Reader();
    private final AtomicInteger toUdp = new AtomicInteger();
    private final AtomicInteger toStream = new AtomicInteger();
    private final ChannelFutureListener sentToUdp;
    private final ChannelFutureListener sentToStream;
    private volatile Channel stream;
    private volatile long lastActivity = System.nanoTime();
    private ScheduledFuture<?> idleCheck;

    /** @param towardTarget whether datagrams read from the stream travel toward the target (server side) */
    DatagramStream(UdpSide udp, TunnelMetrics metrics, int queueSize, Duration idleTimeout, boolean towardTarget) {
        this.udp = udp;
        this.metrics = metrics;
        this.queueSize = queueSize;
        this.towardTarget = towardTarget;
        this.idleNanos = idleTimeout.toNanos();
        this.sentToUdp = f -> {
            toUdp.decrementAndGet();
            if (!f.isSuccess()) {
                metrics.dropped(TunnelMetrics.DatagramDrop.SEND_FAILED);
            }
        };
        this.sentToStream = f -> toStream.decrementAndGet(); // a failed write means the stream is gone
    }

    /** Adds the handler to an established stream and starts reading it. */
    static DatagramStream join(Channel stream, DatagramStream handler) {
        stream.pipeline().addLast("datagrams", handler);
        stream.read();
        return handler;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        stream = ctx.channel();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), idleNanos / 4);
        idleCheck = ctx.executor().scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastActivity >= idleNanos) {
                log.debug("tunnel: UDP session on {} idle for {}; closing", ctx.channel(), Duration.ofNanos(idleNanos));
                ctx.close();
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2DataFrame data) {
                int ignored = reader.feed(data.content(), this::toUdp);
                for (int i = 0; i < ignored; i++) {
                    metrics.dropped(TunnelMetrics.DatagramDrop.UNKNOWN_CONTEXT);
                }
                if (data.isEndStream()) {
                    ctx.close(); // the peer ended the session
                }
            } else if (msg instanceof Http2ResetFrame
                    || msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                ctx.close();
            }
        } catch (Capsules.CapsuleException e) {
            log.warn("tunnel: malformed capsule on {}: {}; resetting the stream", ctx.channel(), e.getMessage());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void toUdp(ByteBuf payload) {
        lastActivity = System.nanoTime();
        if (toUdp.get() >= queueSize) {
            payload.release();
            metrics.dropped(TunnelMetrics.DatagramDrop.QUEUE_FULL);
            return;
        }
        toUdp.incrementAndGet();
        metrics.datagram(towardTarget, payload.readableBytes());
        udp.write(payload).addListener(sentToUdp);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        udp.flush();
        ctx.read(); // always: datagrams are dropped, not held back, so the window goes back at once
    }

    /**
     * A datagram from the UDP side, which this takes ownership of; call {@link #flush} after a batch. Any thread.
     * Returns false when it was dropped.
     */
    boolean send(ByteBuf payload) {
        Channel s = stream;
        lastActivity = System.nanoTime();
        if (s == null || !s.isActive()) {
            payload.release();
            return false;
        }
        if (toStream.get() >= queueSize) {
            payload.release();
            metrics.dropped(TunnelMetrics.DatagramDrop.QUEUE_FULL);
            return false;
        }
        toStream.incrementAndGet();
        metrics.datagram(!towardTarget, payload.readableBytes());
        s.write(new DefaultHttp2DataFrame(Capsules.datagram(s.alloc(), payload), false)).addListener(sentToStream);
        return true;
    }

    void flush() {
        Channel s = stream;
        if (s != null) {
            s.flush();
        }
    }

    void close() {
        Channel s = stream;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        reader.release();
        udp.streamClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("tunnel: UDP session stream {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
