package io.sluice.gateway.tunnel;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Per-stream zstd (seed 004's COMP flag), negotiated on the CONNECT ({@link ExtendedConnect#COMPRESSION}): one
 * zstd stream per direction over the DATA frames of one tunnel stream. It sits in the stream channel's pipeline in
 * front of the {@link StreamPump}, so the pumps see plain bytes and keep their backpressure.
 *
 * <ul>
 *   <li>Outbound, each DATA frame (one socket read, at most {@code chunk_bytes}) is compressed and flushed
 *       (ZSTD_e_flush), so the peer can decompress everything sent so far: an interactive protocol never waits for
 *       more input. END_STREAM ends the zstd frame (ZSTD_e_end).</li>
 *   <li>Inbound, decompression is pulled, not pushed: each {@code read()} from the pump yields at most
 *       {@code chunk_bytes} of plain bytes, and frames still compressed stay here (no new frames are read while
 *       some are), so a highly compressible stream cannot expand into an unbounded queue in front of a slow
 *       socket. Memory per stream: the compressed frames of one read batch plus one chunk.</li>
 * </ul>
 *
 * <p>The compressor uses a 128 KiB window (log {@value #WINDOW_LOG}) instead of its level's default (1 to 8 MiB):
 * its native tables scale with the window, which matters with thousands of streams. Both contexts are freed when
 * the stream closes.
 */
final class ZstdStreamCodec extends ChannelDuplexHandler {

    static final int WINDOW_LOG = 17;

    private final int chunk;
    private final TunnelMetrics metrics;
    private final boolean towardTarget;
    private final ZstdCompressCtx compressor;
    private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
    private final ArrayDeque<ByteBuf> compressed = new ArrayDeque<>(2);
    private boolean endAfterInput;
    private boolean closed;

    /** @param towardTarget whether this side's outbound bytes travel toward the target (client side) */
    ZstdStreamCodec(int level, int chunk, TunnelMetrics metrics, boolean towardTarget) {
        this.chunk = chunk;
        this.metrics = metrics;
        this.towardTarget = towardTarget;
        this.compressor = new ZstdCompressCtx().setLevel(level).setWindowLog(WINDOW_LOG);
    }

    // ---- outbound: compress ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Http2DataFrame data) || closed) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf out;
        int in = data.content().readableBytes();
        try {
            out = compress(ctx.alloc(), data.content(), data.isEndStream() ? EndDirective.END : EndDirective.FLUSH);
        } catch (RuntimeException e) {
            data.release();
            promise.setFailure(e);
            ctx.close();
            return;
        }
        boolean end = data.isEndStream();
        data.release();
        metrics.compressed(towardTarget, in, out.readableBytes());
        ctx.write(new DefaultHttp2DataFrame(out, end), promise);
    }

    private ByteBuf compress(ByteBufAllocator alloc, ByteBuf in, EndDirective directive) {
        ByteBuf direct = in.isDirect() && in.nioBufferCount() == 1 ? null : alloc.directBuffer(in.readableBytes());
        try {
            ByteBuffer src;
            if (direct != null) {
                direct.writeBytes(in, in.readerIndex(), in.readableBytes());
                src = direct.nioBuffer();
            } else {
                src = in.nioBuffer();
            }
            int capacity = (int) Zstd.compressBound(src.remaining()) + 64;
            ByteBuf out = alloc.directBuffer(capacity);
            try {
                while (true) {
                    ByteBuffer dst = out.nioBuffer(out.writerIndex(), out.writableBytes());
                    int before = dst.position();
                    boolean done = compressor.compressDirectByteBufferStream(dst, src, directive);
                    out.writerIndex(out.writerIndex() + dst.position() - before);
                    if (done && !src.hasRemaining()) {
                        return out;
                    }
                    out.ensureWritable(Math.max(1024, out.capacity() / 2));
                }
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            if (direct != null) {
                direct.release();
            }
        }
    }

    // ---- inbound: decompress, one chunk per read ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2DataFrame data) || closed) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = data.content();
        if (content.isReadable()) {
            ByteBuf copy = ctx.alloc().directBuffer(content.readableBytes());
            copy.writeBytes(content);
            compressed.add(copy);
        }
        endAfterInput |= data.isEndStream();
        data.release();
        drainOne(ctx);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (compressed.isEmpty() && !endAfterInput || closed) {
            ctx.read();
            return;
        }
        // The pump asked for more and some frames are still compressed: the next chunk comes from them, not from
        // the stream. Run it as a task so a long run of chunks does not recurse through the pipeline.
        ctx.executor().execute(() -> {
            if (!closed) {
                drainOne(ctx);
                ctx.fireChannelReadComplete();
            }
        });
    }

    /** Passes on at most one chunk of plain bytes, then END_STREAM once the input is used up and it was the end. */
    private void drainOne(ChannelHandlerContext ctx) {
        while (!compressed.isEmpty()) {
            ByteBuf in = compressed.peek();
            ByteBuf out = ctx.alloc().directBuffer(chunk);
            ByteBuffer src = in.nioBuffer();
            ByteBuffer dst = out.nioBuffer(0, chunk);
            int before = src.remaining();
            try {
                decompressor.decompressDirectByteBufferStream(dst, src);
            } catch (RuntimeException e) {
                out.release();
                compressed.forEach(ReferenceCountUtil::release);
                compressed.clear();
                endAfterInput = false;
                metrics.rejected("zstd_error");
                ctx.fireExceptionCaught(new IllegalStateException("invalid zstd data on the stream: "
                        + e.getMessage(), e));
                return;
            }
            in.skipBytes(before - src.remaining());
            int produced = dst.position();
            boolean outputFull = produced == chunk; // zstd may hold more output for the input already taken
            if (!in.isReadable() && !outputFull) {
                compressed.poll().release();
            }
            if (produced > 0) {
                out.writerIndex(produced);
                ctx.fireChannelRead(new DefaultHttp2DataFrame(out, false));
                return;
            }
            out.release();
        }
        if (endAfterInput) {
            endAfterInput = false;
            ctx.fireChannelRead(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        free();
    }

    /**
     * The stream closed with frames still compressed here: Netty closes a stream channel once both ends sent
     * END_STREAM, delivering what it had queued whether or not anyone asked to read. Those bytes were acknowledged
     * and the pump writes whatever it is given before closing its socket, so they are decompressed and passed on now
     * rather than dropped (the last window's worth, expanded).
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        while (!closed && (!compressed.isEmpty() || endAfterInput)) {
            drainOne(ctx); // each call passes on a chunk, uses up a frame, or ends: it always progresses
        }
        free();
        ctx.fireChannelInactive();
    }

    private void free() {
        if (!closed) {
            closed = true;
            compressed.forEach(ReferenceCountUtil::release);
            compressed.clear();
            compressor.close();
            decompressor.close();
        }
    }
}
