package io.sluice.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStreamException;
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
     * Stream errors go on to the stream multiplexer, which resets the stream with their error code.
     * For a connection-level HTTP/2 error the codec sends GOAWAY with the matching error code and
     * closes right after this returns (closing here first would send GOAWAY NO_ERROR instead); any
     * other error (the socket failed) closes the connection. Neither reaches the pipeline's tail,
     * which would log a stack trace per misbehaving client.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException) {
            ctx.fireExceptionCaught(cause);
        } else if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();
        }
    }
}
