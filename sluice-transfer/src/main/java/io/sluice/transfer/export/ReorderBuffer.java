package io.sluice.transfer.export;

import io.netty.buffer.ByteBuf;
import io.sluice.transfer.internal.ChunkSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Puts ranges that arrive in parallel back in file order, in bounded memory.
 *
 * <p>Workers {@link #write} pieces keyed by their file position (a retained slice of the received buffer, no copy);
 * one writer {@link #take}s them strictly in order. The bound: a worker may only start a range that ends within
 * {@code capacity} bytes of the writer's position ({@link #admit}), so everything buffered lies in
 * {@code [written, written + capacity)} — at most {@code capacity} bytes, whatever the file size. The range at the
 * writer's position always fits (capacity is at least one chunk), so the writer can never wait for a range that is
 * itself waiting for room. Every buffered piece is released by {@link #take}'s caller or by {@link #close}.
 */
public final class ReorderBuffer implements ChunkSink, AutoCloseable {

    private final long size;
    private final long capacity;
    private final TreeMap<Long, ByteBuf> pieces = new TreeMap<>();
    private long written;
    private long buffered;
    private long peak;
    private Throwable failure;
    private boolean closed;

    /** @param capacity most bytes held at once; must be at least the largest range a worker fetches */
    public ReorderBuffer(long size, long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.size = size;
        this.capacity = capacity;
    }

    /** Blocks a worker until a range ending at {@code end} fits in the window after the writer's position. */
    public synchronized void admit(long end) throws IOException {
        while (end > written + capacity && failure == null && !closed) {
            await();
        }
        check();
    }

    @Override
    public void write(ByteBuf buf, int length, long position, CRC32C crc) throws IOException {
        ByteBuf piece = buf.retainedSlice(buf.readerIndex(), length);
        synchronized (this) {
            if (failure != null || closed) {
                piece.release();
                check();
            }
            ByteBuf previous = pieces.put(position, piece);
            if (previous != null) {
                previous.release(); // a retried range sends the same bytes again from the same position
                buffered -= previous.readableBytes();
            }
            buffered += length;
            peak = Math.max(peak, buffered);
            notifyAll();
        }
    }

    /** The next piece in file order, owned by the caller (release it); null once all {@code size} bytes were taken. */
    public synchronized ByteBuf take() throws IOException {
        while (true) {
            check();
            if (written >= size) {
                return null;
            }
            Map.Entry<Long, ByteBuf> first = pieces.firstEntry();
            if (first != null && first.getKey() <= written) {
                pieces.pollFirstEntry();
                ByteBuf piece = first.getValue();
                long skip = written - first.getKey(); // overlap with bytes already written (a retried piece)
                buffered -= piece.readableBytes();
                if (skip >= piece.readableBytes()) {
                    piece.release();
                    continue;
                }
                piece.skipBytes((int) skip);
                written += piece.readableBytes();
                notifyAll();
                return piece;
            }
            await();
        }
    }

    /** Stops the writer and the waiting workers with {@code cause}. */
    public synchronized void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** Bytes handed to the writer so far. */
    public synchronized long written() {
        return written;
    }

    /** The most bytes held at once so far. */
    public synchronized long peakBuffered() {
        return peak;
    }

    @Override
    public synchronized void close() {
        closed = true;
        pieces.values().forEach(ByteBuf::release);
        pieces.clear();
        buffered = 0;
        notifyAll();
    }

    private void check() throws IOException {
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        if (closed) {
            throw new InterruptedIOException("export closed");
        }
    }

    private void await() throws InterruptedIOException {
        try {
            wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
