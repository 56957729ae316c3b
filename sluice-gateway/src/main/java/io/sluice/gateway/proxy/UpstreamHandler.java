package io.sluice.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.core.limit.netty.ReadPacer;

/**
 * The last handler of every upstream connection. While the connection is lent to an
 * {@link Exchange} it hands everything to it, on the exchange's event loop; while the connection
 * idles in the pool, any byte or error from the backend means the connection is no longer clean,
 * so it is closed (the pool notices the close and drops it).
 *
 * <p>Every call names the channel it comes from: after a retry or a cancelled hedge the exchange has left that
 * connection, and a task from it still queued for the exchange's loop must be recognised and ignored.
 */
public final class UpstreamHandler extends ChannelDuplexHandler {

    private volatile Exchange exchange;
    private volatile ReadPacer pacer;
    private volatile BandwidthThrottle throttle;

    void bind(Exchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Debits response bodies against {@code throttle} as this connection reads them, on its own event loop, so a
     * wait stops its read loop at once (the exchange may live on another loop, where a pause would come late).
     */
    void pace(BandwidthThrottle throttle, ReadPacer pacer) {
        this.throttle = throttle;
        this.pacer = pacer;
    }

    void unbind() {
        this.exchange = null;
        ReadPacer p = pacer;
        if (p != null) {
            pacer = null;
            throttle = null;
            p.cancel();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange e = exchange;
        if (e == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        ReadPacer p = pacer;
        if (p != null && msg instanceof HttpContent content) {
            p.onRead(throttle, content.content().readableBytes());
        }
        if (e.loop().inEventLoop()) {
            e.onUpstreamMessage(ctx.channel(), msg);
        } else {
            e.loop().execute(() -> e.onUpstreamMessage(ctx.channel(), msg));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            run(e, () -> e.onUpstreamReadComplete(ctx.channel()));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            run(e, () -> e.onUpstreamWritabilityChanged(ctx.channel()));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            run(e, () -> e.onUpstreamClosed(ctx.channel(), null));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange e = exchange;
        if (e != null) {
            run(e, () -> e.onUpstreamClosed(ctx.channel(), cause));
        }
        ctx.close();
    }

    private static void run(Exchange e, Runnable task) {
        if (e.loop().inEventLoop()) {
            task.run();
        } else {
            e.loop().execute(task);
        }
    }
}
