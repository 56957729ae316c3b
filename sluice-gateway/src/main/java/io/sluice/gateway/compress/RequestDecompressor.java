package io.sluice.gateway.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses one request body as it streams ({@code routes[i].request_decompression}): each compressed chunk
 * goes in, plain chunks of at most {@value #CHUNK} bytes come out, and the running total is checked after every
 * one of them, so a body that expands past {@code maxSize} (a "zip bomb": a kilobyte of gzip that inflates to a
 * gigabyte of zeros) is stopped after at most {@code maxSize + CHUNK} bytes were produced, never held whole.
 *
 * <p>gzip (RFC 1952, header parsed here, trailer skipped, several members in a row allowed), deflate (zlib-wrapped as RFC 9110 says, or raw as some
 * clients send it) and zstd (zstd-jni's streaming decompression, bounded output per call). Not thread-safe: one
 * per exchange, on its event loop. {@link #close()} frees the native state.
 */
public final class RequestDecompressor implements AutoCloseable {

    /** Largest plain chunk produced at once. */
    static final int CHUNK = 64 * 1024;
    private static final int MAX_GZIP_HEADER = 64 * 1024;

    /** The body inflated past the route's limit. */
    public static final class TooLargeException extends Exception {
        TooLargeException() {
            super(null, null, false, false);
        }
    }

    /** The body is not valid in its declared encoding. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { GZIP, DEFLATE, ZSTD }

    private final Kind kind;
    private final long maxSize;
    private final ByteBufAllocator alloc;
    private Inflater inflater;
    private ZstdDecompressCtx zstd;
    private byte[] gzipHeader;
    private int gzipHeaderLength;
    private boolean started;
    private boolean finished;
    private int trailerLeft;
    private long produced;

    private RequestDecompressor(Kind kind, long maxSize, ByteBufAllocator alloc) {
        this.kind = kind;
        this.maxSize = maxSize;
        this.alloc = alloc;
        if (kind == Kind.ZSTD) {
            zstd = new ZstdDecompressCtx();
        } else if (kind == Kind.GZIP) {
            inflater = new Inflater(true);
            gzipHeader = new byte[256];
        }
    }

    /** The encodings understood, as listed in a 415's {@code Accept-Encoding}. */
    public static final String SUPPORTED = "gzip, deflate, zstd";

    /** A decompressor for {@code contentEncoding}, or null when it is not one of {@link #SUPPORTED}. */
    public static RequestDecompressor forEncoding(String contentEncoding, long maxSize, ByteBufAllocator alloc) {
        Kind kind = switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> Kind.GZIP;
            case "deflate" -> Kind.DEFLATE;
            case "zstd" -> Kind.ZSTD;
            default -> null;
        };
        return kind == null ? null : new RequestDecompressor(kind, maxSize, alloc);
    }

    /** Plain bytes produced so far. */
    public long produced() {
        return produced;
    }

    /**
     * Decompresses {@code in} (not released here), handing each plain chunk to {@code sink}, which owns it.
     *
     * @throws TooLargeException  once more than {@code maxSize} plain bytes came out; nothing more is produced
     * @throws MalformedException when the bytes are not valid in the encoding
     */
    public void decode(ByteBuf in, Consumer<ByteBuf> sink) throws TooLargeException, MalformedException {
        if (!in.isReadable()) {
            return;
        }
        if (kind == Kind.GZIP && trailerLeft > 0) {
            int skip = Math.min(trailerLeft, in.readableBytes());
            in.skipBytes(skip); // CRC-32 and size: not body
            trailerLeft -= skip;
            if (trailerLeft > 0 || !in.isReadable()) {
                return;
            }
            // Another gzip member follows (RFC 1952 allows several, concatenated): its output joins the body.
            inflater.reset();
            gzipHeader = new byte[256];
            gzipHeaderLength = 0;
            finished = false;
        }
        if (finished) {
            in.skipBytes(in.readableBytes()); // bytes after the end of a deflate stream: not body
            return;
        }
        switch (kind) {
            case ZSTD -> decodeZstd(in, sink);
            case GZIP -> {
                if (!skipGzipHeader(in)) {
                    return;
                }
                inflate(in, sink);
            }
            case DEFLATE -> {
                if (inflater == null) {
                    // zlib-wrapped per RFC 9110, but some clients send raw deflate: the zlib header tells them apart.
                    int b0 = in.getUnsignedByte(in.readerIndex());
                    int b1 = in.readableBytes() > 1 ? in.getUnsignedByte(in.readerIndex() + 1) : 0;
                    boolean zlib = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
                    inflater = new Inflater(!zlib);
                }
                inflate(in, sink);
            }
        }
    }

    /** The body ended: was the compressed stream complete? */
    public void finish() throws MalformedException {
        if (started && (!finished || trailerLeft > 0)) {
            throw new MalformedException("the " + kind.name().toLowerCase(Locale.ROOT) + " stream is truncated");
        }
    }

    private void inflate(ByteBuf in, Consumer<ByteBuf> sink) throws TooLargeException, MalformedException {
        started = true;
        ByteBuffer input = in.nioBuffer();
        inflater.setInput(input);
        try {
            while (!inflater.finished()) {
                ByteBuf out = alloc.heapBuffer(CHUNK);
                int n;
                try {
                    n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
                } catch (DataFormatException e) {
                    out.release();
                    throw new MalformedException("invalid " + kind.name().toLowerCase(Locale.ROOT) + " data: "
                            + e.getMessage());
                }
                if (n == 0) {
                    out.release();
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        break;
                    }
                    continue;
                }
                out.writerIndex(out.writerIndex() + n);
                emit(out, sink);
            }
        } finally {
            int left = inflater.getRemaining();
            in.skipBytes(in.readableBytes() - left);
        }
        if (inflater.finished()) {
            finished = true;
            if (kind == Kind.GZIP) {
                trailerLeft = 8;
                if (in.isReadable()) {
                    decode(in, sink);
                }
            }
        }
    }

    private void decodeZstd(ByteBuf in, Consumer<ByteBuf> sink) throws TooLargeException, MalformedException {
        started = true;
        ByteBuf direct = in.isDirect() && in.nioBufferCount() == 1 ? null : alloc.directBuffer(in.readableBytes());
        try {
            ByteBuffer src;
            if (direct != null) {
                direct.writeBytes(in, in.readerIndex(), in.readableBytes());
                src = direct.nioBuffer();
            } else {
                src = in.nioBuffer();
            }
            int before = src.remaining();
            boolean frameDone = false;
            while (src.hasRemaining() || !frameDone) {
                ByteBuf out = alloc.directBuffer(CHUNK);
                ByteBuffer dst = out.nioBuffer(0, CHUNK);
                try {
                    frameDone = zstd.decompressDirectByteBufferStream(dst, src);
                } catch (RuntimeException e) {
                    out.release();
                    throw new MalformedException("invalid zstd data: " + e.getMessage());
                }
                int n = dst.position();
                if (n == 0) {
                    out.release();
                    if (!src.hasRemaining() || frameDone) {
                        break;
                    }
                    continue;
                }
                out.writerIndex(n);
                emit(out, sink);
            }
            in.skipBytes(before - src.remaining());
            // Mid-frame unless the last frame ended with the input; a later chunk may start another frame.
            started = !(frameDone && !src.hasRemaining());
        } finally {
            if (direct != null) {
                direct.release();
            }
        }
    }

    private void emit(ByteBuf out, Consumer<ByteBuf> sink) throws TooLargeException {
        produced += out.readableBytes();
        if (produced > maxSize) {
            out.release();
            throw new TooLargeException();
        }
        sink.accept(out);
    }

    /** Collects the gzip header (RFC 1952 section 2.3) across chunks; true once it is behind us. */
    private boolean skipGzipHeader(ByteBuf in) throws MalformedException {
        if (gzipHeader == null) {
            return true;
        }
        started = true;
        while (in.isReadable()) {
            if (gzipHeaderLength == gzipHeader.length) {
                if (gzipHeader.length >= MAX_GZIP_HEADER) {
                    throw new MalformedException("gzip header longer than " + MAX_GZIP_HEADER + " bytes");
                }
                gzipHeader = java.util.Arrays.copyOf(gzipHeader, gzipHeader.length * 2);
            }
            gzipHeader[gzipHeaderLength++] = in.readByte();
            int end = gzipHeaderEnd();
            if (end > 0) {
                gzipHeader = null;
                return true;
            }
        }
        return false;
    }

    /** The header's length once complete, 0 while more bytes are needed. */
    private int gzipHeaderEnd() throws MalformedException {
        byte[] h = gzipHeader;
        int n = gzipHeaderLength;
        if (n >= 2 && ((h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b)) {
            throw new MalformedException("not gzip data (bad magic bytes)");
        }
        if (n >= 3 && h[2] != 8) {
            throw new MalformedException("unsupported gzip compression method " + h[2]);
        }
        if (n < 10) {
            return 0;
        }
        int flags = h[3] & 0xff;
        int pos = 10;
        if ((flags & 0x04) != 0) { // FEXTRA
            if (n < pos + 2) {
                return 0;
            }
            pos += 2 + ((h[pos] & 0xff) | (h[pos + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {0x08, 0x10}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & flag) != 0) {
                while (pos < n && h[pos] != 0) {
                    pos++;
                }
                if (pos >= n) {
                    return 0;
                }
                pos++;
            }
        }
        if ((flags & 0x02) != 0) { // FHCRC
            pos += 2;
        }
        return n >= pos ? pos : 0;
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        if (zstd != null) {
            zstd.close();
            zstd = null;
        }
    }
}
