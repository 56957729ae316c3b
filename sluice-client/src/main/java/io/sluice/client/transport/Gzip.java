package io.sluice.client.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * gzip (RFC 1952) of a whole request body in one call, with one {@link Deflater} per thread kept and reset instead of
 * a new one (and its ~256 KiB of native zlib state) per request, at level 1: control API documents are repetitive,
 * and the fastest level shrinks them nearly as well as the default at a fraction of the CPU. The gateway's control
 * API gzips its answers with it too. {@link #decompress} undoes it the same way (one {@link Inflater} per thread),
 * straight into one array sized from the stream's own length field: the SDK inflates answers, the gateway request
 * bodies with it.
 */
public final class Gzip {

    private static final ThreadLocal<Deflater> DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final byte[] NONE = new byte[0];

    private Gzip() {}

    /** The gzip stream of {@code data}: one member, no file name, level 1. */
    public static byte[] compress(byte[] data) {
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[HEADER.length + data.length / 3 + 64];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        int n = HEADER.length;
        while (!deflater.finished()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            n += deflater.deflate(out, n, out.length - n);
        }
        deflater.setInput(NONE);
        if (out.length - n < 8) {
            out = Arrays.copyOf(out, n + 8);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        int c = (int) crc.getValue();
        int size = data.length;
        for (int v : new int[] {c, size}) {
            out[n++] = (byte) v;
            out[n++] = (byte) (v >>> 8);
            out[n++] = (byte) (v >>> 16);
            out[n++] = (byte) (v >>> 24);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The inflated data would be longer than the caller allows. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("inflates to more than " + maxBytes + " bytes");
        }
    }

    /**
     * The data of the gzip stream in {@code in} (from its position to its limit, which is left as it was): every
     * member, each checked against its CRC-32 and length; bytes after the last member that do not start another one
     * are ignored, as {@link java.util.zip.GZIPInputStream} ignores them.
     *
     * @throws TooLarge    when the data is longer than {@code maxBytes}
     * @throws IOException ({@link ZipException}, {@link EOFException}) when it is not a complete gzip stream
     */
    public static byte[] decompress(ByteBuffer in, int maxBytes) throws IOException {
        int pos = in.position();
        int end = in.limit();
        long capacity = 64;
        if (end - pos >= 18) {
            // The last member's length field: the usual one-member stream's exact size. Only a hint, so held to what
            // deflate can expand the input to (1032:1), lest a small body claiming a huge size cost a huge array.
            long size = Integer.toUnsignedLong(littleEndianInt(in, end - 4));
            capacity = Math.max(capacity, Math.min(size, (end - pos) * 1032L));
        }
        return inflate(in, pos, end, maxBytes, (int) Math.min(capacity, maxBytes + 1L));
    }

    /** {@link #decompress(ByteBuffer, int)} of an array. */
    public static byte[] decompress(byte[] in, int maxBytes) throws IOException {
        return decompress(ByteBuffer.wrap(in), maxBytes);
    }

    private static byte[] inflate(ByteBuffer in, int pos, int end, int maxBytes, int capacity) throws IOException {
        Inflater inflater = INFLATER.get();
        byte[] out = new byte[capacity];
        int n = 0;
        CRC32 crc = new CRC32();
        try {
            do {
                pos = header(in, pos, end);
                inflater.reset();
                inflater.setInput(in.duplicate().limit(end).position(pos));
                int start = n;
                while (!inflater.finished()) {
                    if (n == out.length) {
                        if (n > maxBytes) {
                            throw new TooLarge(maxBytes);
                        }
                        out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1L, out.length * 2L));
                    }
                    int k = inflater.inflate(out, n, out.length - n);
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new EOFException("the gzip stream ends inside a member");
                    }
                    n += k;
                }
                if (n > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                pos = end - inflater.getRemaining();
                if (end - pos < 8) {
                    throw new EOFException("the gzip stream ends before a member's trailer");
                }
                crc.reset();
                crc.update(out, start, n - start);
                if (littleEndianInt(in, pos) != (int) crc.getValue()) {
                    throw new ZipException("gzip CRC-32 mismatch");
                }
                if (littleEndianInt(in, pos + 4) != n - start) {
                    throw new ZipException("gzip length mismatch");
                }
                pos += 8;
            } while (end - pos >= 2 && in.get(pos) == 0x1f && in.get(pos + 1) == (byte) 0x8b);
        } catch (DataFormatException e) {
            throw new ZipException("invalid deflate data: " + e.getMessage());
        } finally {
            inflater.setInput(NONE); // drop the reference to the caller's buffer
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Checks one member header at {@code pos}; the position of its deflate data. */
    private static int header(ByteBuffer in, int pos, int end) throws IOException {
        if (end - pos < 10) {
            throw new EOFException("the gzip stream ends inside a header");
        }
        if (in.get(pos) != 0x1f || in.get(pos + 1) != (byte) 0x8b) {
            throw new ZipException("not in gzip format");
        }
        if (in.get(pos + 2) != Deflater.DEFLATED) {
            throw new ZipException("unsupported gzip compression method " + in.get(pos + 2));
        }
        int flags = in.get(pos + 3) & 0xff;
        int start = pos;
        pos += 10;
        if ((flags & FEXTRA) != 0) {
            if (end - pos < 2) {
                throw new EOFException("the gzip stream ends inside a header");
            }
            pos += 2 + ((in.get(pos) & 0xff) | (in.get(pos + 1) & 0xff) << 8);
        }
        for (int field : new int[] {FNAME, FCOMMENT}) {
            if ((flags & field) != 0) {
                while (pos < end && in.get(pos) != 0) {
                    pos++;
                }
                pos++; // the terminating zero
            }
        }
        if ((flags & FHCRC) != 0) {
            if (pos + 2 > end) {
                throw new EOFException("the gzip stream ends inside a header");
            }
            CRC32 crc = new CRC32();
            crc.update(in.duplicate().limit(pos).position(start));
            if (((in.get(pos) & 0xff) | (in.get(pos + 1) & 0xff) << 8) != ((int) crc.getValue() & 0xffff)) {
                throw new ZipException("corrupt gzip header");
            }
            pos += 2;
        }
        if (pos > end) {
            throw new EOFException("the gzip stream ends inside a header");
        }
        return pos;
    }

    private static int littleEndianInt(ByteBuffer in, int pos) {
        return (in.get(pos) & 0xff) | (in.get(pos + 1) & 0xff) << 8 | (in.get(pos + 2) & 0xff) << 16
                | (in.get(pos + 3) & 0xff) << 24;
    }
}
