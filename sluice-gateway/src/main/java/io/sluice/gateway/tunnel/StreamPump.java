package io.sluice.gateway.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP/2 half of a {@link Splice}: DATA frames become socket writes, END_STREAM becomes the socket's FIN, a
 * reset closes the socket. The stream channel runs with auto-read off and is read only while the socket is
 * writable; frames not read are not acknowledged, so the peer runs out of flow-control window (per stream, then
 * per connection) and stops sending: backpressure reaches the far socket without a queue here.
 */
final class StreamPump extends ChannelInboundHandlerAdapter {

    private final TunnelMetrics metrics;
    private final boolean towardTarget;
    private final Splice splice;
    private ChannelHandlerContext ctx;
    private boolean pendingFlush;
    private boolean ended;

    /** @param towardTarget whether DATA read here travels toward the target (server side) or back (client side) */
    StreamPump(Splice splice, TunnelMetrics metrics, boolean towardTarget) {
        this.splice = splice;
        this.metrics = metrics;
        this.towardTarget = towardTarget;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2DataFrame data) {
                int n = data.content().readableBytes();
                if (n > 0) {
                    metrics.bytes(towardTarget, n);
                    splice.tcp().write(data.content().retain());
                    pendingFlush = true;
                }
                if (data.isEndStream()) {
                    end();
                }
            } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                end(); // trailers: nothing to carry, but the stream is done
            } else if (msg instanceof Http2ResetFrame) {
                splice.abort();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            flush();
            splice.streamInputDone();
        }
    }

    private void flush() {
        if (pendingFlush) {
            pendingFlush = false;
            splice.tcp().flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        if (!ended && splice.tcp().isWritable()) {
            ctx.read();
        }
        // Otherwise the socket's writability event (TcpPump) asks for the next read.
    }

    /** Called by the TCP side when the socket can take more. */
    void resume() {
        Channel stream = ctx.channel();
        if (stream.eventLoop().inEventLoop()) {
            if (!ended) {
                stream.read();
            }
        } else {
            stream.eventLoop().execute(this::resume);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            splice.tcpPump().resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        splice.streamClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        splice.abort();
    }
}
