package io.sluice.transfer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of every pooled connection: passes decoded response parts to the
 * {@link ResponseStream} that owns the connection right now, and asks for more bytes when a socket
 * read produced no complete part. With {@code AUTO_READ} off, that keeps at most one read's worth of
 * data per connection in memory.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private volatile ResponseStream current;
    private boolean deliveredThisRead;

    void attach(ResponseStream stream) {
        current = stream;
    }

    void detach() {
        current = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ResponseStream stream = current;
        if (stream == null) {
            // Nobody asked: an unsolicited response on an idle connection. It cannot be reused.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        deliveredThisRead = true;
        stream.deliver(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseStream stream = current;
        if (stream != null) {
            if (deliveredThisRead) {
                stream.readCompleted(ctx.channel());
            } else {
                ctx.read(); // the decoder needs more bytes before it can produce anything
            }
        }
        deliveredThisRead = false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ResponseStream stream = current;
        if (stream != null) {
            stream.fail(new TransientException("connection closed by the server"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ResponseStream stream = current;
        if (stream != null) {
            stream.fail(new TransientException("connection failed: " + cause, cause));
        }
        ctx.close();
    }
}
