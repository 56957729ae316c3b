package io.sluice.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.sluice.gateway.http.codec.LingeringClose;

/**
 * Sits just before an HTTP/2 connection's frame codec (on the socket's side) and turns the codec's close, which
 * comes after its GOAWAY and once the last open stream is done, into a lingering close.
 *
 * <p>A client may have sent new streams before the GOAWAY reached it (RFC 9113 §6.8 expects that: they are simply
 * not processed, and the client retries them elsewhere). Closing the socket with those bytes unread makes the kernel
 * answer with RST, and a RST can destroy the GOAWAY still unread in the client's receive queue: the client then sees
 * a reset connection instead of "not processed, retry", and fails requests that were perfectly safe to resend. So the
 * GOAWAY is followed by a FIN, what the client still sends is dropped, and the socket closes when the client closes
 * its side (or after {@link LingeringClose#LINGER_MILLIS}).
 */
final class LingerAfterGoAway extends ChannelOutboundHandlerAdapter {

    private boolean lingering;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
        LingeringClose.start(ctx.channel());
    }
}
