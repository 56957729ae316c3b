package io.sluice.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.sluice.gateway.proxy.ProxyContext;

/**
 * Ends an HTTP/2 connection gracefully (GOAWAY, then close once open streams finish) when it has
 * been idle past keep-alive with no stream open, or when the gateway drains; closes it on errors.
 */
final class Http2ConnectionKeeper extends ChannelInboundHandlerAdapter {

    private final Http2FrameCodec codec;

    Http2ConnectionKeeper(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        if (evt == ProxyContext.Drain.INSTANCE) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Connection-level errors end up here: the client broke the protocol (the codec has already sent
     * GOAWAY with the matching error code) or the socket failed. Either way the connection is done;
     * letting them reach the pipeline's tail would log a warning with a stack trace per bad client.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
