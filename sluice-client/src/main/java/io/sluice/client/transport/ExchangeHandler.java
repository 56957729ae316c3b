package io.sluice.client.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a connection (HTTP/1.1) or stream (HTTP/2): completes the current {@link Exchange} with the
 * aggregated response, fails it when the channel errs or closes first, and closes an idle connection on the idle
 * timer. Runs on the channel's event loop only.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private Exchange current;

    /** Called on the event loop before the request is written. */
    void begin(Exchange exchange) {
        current = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpResponse response && current != null) {
                Exchange exchange = current;
                current = null;
                exchange.succeed(response, HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failCurrent("exchange failed", cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failCurrent("connection closed before the response", null);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && current == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    void failCurrent(String message, Throwable cause) {
        Exchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.fail(message, cause);
        }
    }
}
