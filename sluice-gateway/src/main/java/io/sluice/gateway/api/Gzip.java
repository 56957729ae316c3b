package io.sluice.gateway.api;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) of a whole answer in one call, with one {@link Deflater} per thread kept and reset rather than a
 * new one (and its ~256 KiB of native zlib state) per answer, at level 1: control API answers are repetitive JSON or
 * MessagePack, which the fastest level shrinks nearly as well as the default, at a fraction of the CPU (the API
 * runs on one thread). See docs/DECISIONS.md.
 */
final class Gzip {

    static final int LEVEL = Deflater.BEST_SPEED;

    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private static final byte[] NONE = new byte[0];

    private Gzip() {}

    static byte[] compress(byte[] data) {
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
        if (out.length - n < 8) {
            out = Arrays.copyOf(out, n + 8);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        n = putIntLe(out, n, (int) crc.getValue());
        n = putIntLe(out, n, data.length);
        deflater.setInput(NONE); // drop the reference to the answer until the next one
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static int putIntLe(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }
}
