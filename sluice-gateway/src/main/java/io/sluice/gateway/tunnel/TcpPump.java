package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.gateway.transport.EpollInterest;
import java.util.ArrayDeque;

/**
 * The TCP half of a {@link Splice}: bytes read from the socket become DATA frames on the stream, the socket's FIN
 * becomes END_STREAM. It reads only while the stream is writable (HTTP/2 flow control has window left and the
 * connection's buffer is below its high-water mark), so a slow far end throttles this socket instead of growing a
 * queue.
 *
 * <p>It is added when the socket is created, before the stream exists: on epoll a peer that sends and hangs up
 * makes Netty read even with auto-read off, and those bytes (one read's worth) and that FIN wait here until
 * {@link #attach}.
 */
final class TcpPump extends ChannelInboundHandlerAdapter {

    private final TunnelMetrics metrics;
    private final boolean towardTarget;
    private ChannelHandlerContext ctx;
    private Splice splice;
    private ArrayDeque<ByteBuf> early;
    private boolean inputDone;
    private boolean pendingFlush;

    /** @param towardTarget whether bytes read here travel toward the target (client side) or back (server side) */
    TcpPump(TunnelMetrics metrics, boolean towardTarget) {
        this.metrics = metrics;
        this.towardTarget = towardTarget;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Half-close is carried, so after the peer's FIN this socket may still have to wait for writability: a
        // Netty 4.2 epoll defect would fail that write and cut the stream (see EpollInterest).
        EpollInterest.pin(ctx.channel());
        ctx.fireChannelActive();
    }

    /** Joins the socket to its stream and starts reading. Safe from any thread. */
    void attach(Splice splice) {
        Channel tcp = ctx.channel();
        if (!tcp.eventLoop().inEventLoop()) {
            tcp.eventLoop().execute(() -> attach(splice));
            return;
        }
        this.splice = splice;
        if (early != null) {
            ByteBuf b;
            while ((b = early.poll()) != null) {
                forward(b);
            }
            early = null;
            flush();
        }
        if (inputDone) {
            splice.tcpInputDone();
        } else {
            tcp.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (splice == null) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(buf);
            return;
        }
        forward(buf);
    }

    private void forward(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            buf.release();
            return;
        }
        metrics.bytes(towardTarget, n);
        splice.stream().write(new DefaultHttp2DataFrame(buf, false));
        pendingFlush = true;
    }

    private void flush() {
        if (pendingFlush) {
            pendingFlush = false;
            splice.stream().flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (splice == null) {
            return;
        }
        flush();
        if (!inputDone && splice.stream().isWritable()) {
            ctx.read();
        }
        // Otherwise the stream's writability event (StreamPump) asks for the next read.
    }

    /** Called by the stream side when the stream can take more. */
    void resume() {
        Channel tcp = ctx.channel();
        if (tcp.eventLoop().inEventLoop()) {
            if (!inputDone && splice != null) {
                tcp.read();
            }
        } else {
            tcp.eventLoop().execute(this::resume);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (splice != null && ctx.channel().isWritable()) {
            splice.streamPump().resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true;
            if (splice != null) {
                flush();
                splice.tcpInputDone();
            }
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (splice != null) {
                splice.abort();
            } else {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        if (splice != null) {
            splice.tcpClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (splice != null) {
            splice.abort();
        } else {
            ctx.close();
        }
    }

    /** Sends END_STREAM once what was read has been written. Runs on the TCP loop. */
    static DefaultHttp2DataFrame endStream() {
        return new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true);
    }
}
