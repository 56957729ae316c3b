package io.sluice.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Notes when the first byte of a new request arrives on an idle HTTP/1.1 connection, so that the connection's
 * timer can answer 408 to a client that dribbles its headers (slowloris). Sits before the codec; the proxy handler
 * tells it when a head is complete and when the connection is idle again. Costs one branch per read.
 */
public final class RequestHeadClock extends ChannelInboundHandlerAdapter {

    private boolean awaitingHead = true;
    private long firstByteNanos;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && firstByteNanos == 0 && msg instanceof ByteBuf buf && buf.isReadable()) {
            firstByteNanos = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    /** A request head was decoded: the clock stops until the connection is idle again. */
    public void headReceived() {
        awaitingHead = false;
        firstByteNanos = 0;
    }

    /** The connection is idle, waiting for the next request. */
    public void awaitNextHead() {
        awaitingHead = true;
        firstByteNanos = 0;
    }

    /** When the pending head's first byte arrived, or 0 when none is pending. */
    public long firstByteNanos() {
        return firstByteNanos;
    }
}
