package io.sluice.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Tells an HTTP/2 prior-knowledge client (it opens with the 24-byte connection preface) from an
 * HTTP/1.1 one on a cleartext listener, installs the matching pipeline, and steps aside. The bytes
 * read so far are handed on untouched when it removes itself.
 */
final class PriorKnowledgeDetector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final DownstreamInitializer pipelines;

    PriorKnowledgeDetector(DownstreamInitializer pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = PREFACE.readableBytes();
        int available = Math.min(in.readableBytes(), length);
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), available)) {
            pipelines.addHttp1(ctx.pipeline(), true);
            ctx.pipeline().remove(this);
        } else if (available == length) {
            pipelines.addHttp2(ctx.pipeline());
            ctx.pipeline().remove(this);
        }
    }
}
