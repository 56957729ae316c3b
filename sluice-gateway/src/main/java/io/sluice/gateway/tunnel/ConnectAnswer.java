package io.sluice.gateway.tunnel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The client side's wait for the server's answer to an extended CONNECT, once per new stream: a 200 accepts (this
 * handler leaves the pipeline first), any other status refuses and closes the stream, and a stream that closes
 * before any answer is refused too. Counted in {@link TunnelMetrics} either way; what accepting and refusing mean
 * (a TCP splice and a SOCKS reply, or a datagram session) is the subclass's.
 */
abstract class ConnectAnswer extends ChannelInboundHandlerAdapter {

    private final TunnelMetrics metrics;
    private boolean answered;

    ConnectAnswer(TunnelMetrics metrics) {
        this.metrics = metrics;
    }

    /** The server answered 200: the stream carries the connection from now on. */
    abstract void accepted(ChannelHandlerContext ctx, Http2Headers headers);

    /** The server answered {@code status}; the stream is closed right after. */
    abstract void refused(CharSequence status, Http2Headers headers);

    /** The stream closed before the server answered. */
    abstract void closedUnanswered();

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered || !(msg instanceof Http2HeadersFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        answered = true;
        CharSequence status = frame.headers().status();
        if (status != null && "200".contentEquals(status)) {
            metrics.opened();
            ctx.pipeline().remove(this);
            accepted(ctx, frame.headers());
            return;
        }
        metrics.refused(TunnelMetrics.Refusal.SERVER_REFUSED);
        refused(status, frame.headers());
        ctx.close();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        if (!answered) {
            answered = true;
            metrics.refused(TunnelMetrics.Refusal.SERVER_REFUSED);
            closedUnanswered();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
