package io.sluice.gateway.tunnel;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a tunnel connection: an error nobody handled (TLS alerts after a failed handshake, which the
 * ALPN handler has already logged, or I/O errors) closes the connection; the slot's reconnect or the peer deals
 * with the rest. HTTP/2 errors are left to the codec, which reports them here before answering them.
 */
@ChannelHandler.Sharable
final class CloseOnError extends ChannelInboundHandlerAdapter {

    static final CloseOnError INSTANCE = new CloseOnError();
    private static final Logger log = LoggerFactory.getLogger(CloseOnError.class);

    private CloseOnError() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // The HTTP/2 codec shows it here first, then answers it itself (GOAWAY with the right error code);
            // closing now would send GOAWAY NO_ERROR ahead of that.
            log.debug("tunnel: HTTP/2 error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            return;
        }
        if (cause instanceof java.io.IOException) {
            log.debug("tunnel: connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString()); // resets
        } else {
            log.warn("tunnel: closing connection {} after {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
