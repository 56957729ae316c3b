package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First in every pipeline: counts the bytes on the wire (TLS records included) during measurement. */
final class WireBytes extends ChannelDuplexHandler {

    private final Probe probe;
    private final RunControl run;

    WireBytes(Probe probe, RunControl run) {
        this.probe = probe;
        this.run = run;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && run.measured(System.nanoTime())) {
            probe.bytesIn(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (run.measured(System.nanoTime())) {
            if (msg instanceof ByteBuf b) {
                probe.bytesOut(b.readableBytes());
            } else if (msg instanceof ByteBufHolder h) {
                probe.bytesOut(h.content().readableBytes());
            }
        }
        ctx.write(msg, promise);
    }
}
