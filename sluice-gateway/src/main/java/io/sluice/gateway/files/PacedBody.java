package io.sluice.gateway.files;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.core.limit.BandwidthThrottle;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * Sends part of a file in pieces held to a {@link BandwidthThrottle}, for static routes that limit bandwidth. One
 * {@code sendfile} of the whole file cannot be paced, so the body goes as successive pieces: each is debited first
 * and written once the throttle's wait is over (bytes never leave ahead of the rate, the last piece included), and
 * the next is considered only when the previous one has been written to the socket. That is the backpressure: a
 * client that reads slowly holds the next piece back, and the gateway holds at most one piece per transfer.
 *
 * <p>Pieces are zero-copy file regions on cleartext HTTP/1.1, else buffers read from the file (TLS and HTTP/2 need
 * the bytes). All methods run on the channel's event loop; nothing here blocks except the local file read of one
 * piece, as in the unthrottled chunked path.
 */
public final class PacedBody {

    static final int PIECE = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final FileChannel file;
    private final BandwidthThrottle throttle;
    private final boolean zeroCopy;
    private final ChannelPromise done;
    private long position;
    private long remaining;
    /** When the piece now being written was handed to the channel; 0 while none is (waiting on the throttle). */
    private long writingSince;

    private PacedBody(ChannelHandlerContext ctx, FileChannel file, long start, long length, BandwidthThrottle throttle,
                      boolean zeroCopy) {
        this.ctx = ctx;
        this.file = file;
        this.position = start;
        this.remaining = length;
        this.throttle = throttle;
        this.zeroCopy = zeroCopy;
        this.done = ctx.newPromise();
    }

    /** Starts sending; the returned body's {@link #done()} completes after the last content is written. */
    static PacedBody send(ChannelHandlerContext ctx, FileChannel file, long start, long length,
                          BandwidthThrottle throttle, boolean zeroCopy) {
        PacedBody body = new PacedBody(ctx, file, start, length, throttle, zeroCopy);
        body.next();
        return body;
    }

    /** Succeeds once the whole body and its end have been written; fails if the connection went first. */
    public ChannelFuture done() {
        return done;
    }

    /**
     * Since when the piece in flight has been waiting for the client to take it ({@link System#nanoTime()}), or 0
     * when no piece is in flight. The caller applies its write timeout to this.
     */
    public long writingSince() {
        return writingSince;
    }

    private void next() {
        if (done.isDone()) {
            return;
        }
        if (remaining == 0) {
            writingSince = System.nanoTime();
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                writingSince = 0;
                if (f.isSuccess()) {
                    closeFile();
                    done.trySuccess();
                } else {
                    fail(f.cause());
                }
            });
            return;
        }
        int n = (int) Math.min(PIECE, remaining);
        long wait = throttle.reserve(n, System.nanoTime());
        if (wait > 0) {
            ctx.executor().schedule(() -> write(n), wait, TimeUnit.NANOSECONDS);
        } else {
            write(n);
        }
    }

    private void write(int n) {
        if (done.isDone()) {
            return;
        }
        if (!ctx.channel().isActive()) {
            fail(new ClosedChannelException());
            return;
        }
        Object piece;
        try {
            piece = zeroCopy ? new SharedFileRegion(file, position, n) : new DefaultHttpContent(read(n));
        } catch (IOException e) {
            fail(e);
            return;
        }
        position += n;
        remaining -= n;
        writingSince = System.nanoTime();
        ctx.writeAndFlush(piece).addListener(f -> {
            writingSince = 0;
            if (f.isSuccess()) {
                // Not a direct call: a write that completes at once would otherwise recurse through a whole burst.
                ctx.executor().execute(this::next);
            } else {
                fail(f.cause());
            }
        });
    }

    private ByteBuf read(int n) throws IOException {
        ByteBuf buf = ctx.alloc().buffer(n);
        try {
            long at = position;
            while (buf.writerIndex() < n) {
                int got = buf.writeBytes(file, at, n - buf.writerIndex());
                if (got < 0) {
                    throw new EOFException("the file is shorter than when the response started");
                }
                at += got;
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Ends the transfer: the response is cut short, so the connection (or HTTP/2 stream) is closed. */
    private void fail(Throwable cause) {
        closeFile();
        if (done.tryFailure(cause)) {
            ctx.close();
        }
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    }

    /** A region of a file channel shared by all pieces: releasing one must not close the channel under the next. */
    private static final class SharedFileRegion extends DefaultFileRegion {

        SharedFileRegion(FileChannel file, long position, long count) {
            super(file, position, count);
        }

        @Override
        protected void deallocate() {
            // PacedBody closes the channel once, at the end.
        }
    }
}
