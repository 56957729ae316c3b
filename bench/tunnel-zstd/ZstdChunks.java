import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * What the tunnel's per-stream zstd costs and saves: 64 KiB chunks, each compressed with ZSTD_e_flush (as
 * ZstdStreamCodec does, window 128 KiB), on log-like text, JSON-ish records and random bytes; ratio and single-core
 * compress / decompress speed. Usage: java -cp CLASSPATH ZstdChunks.java [MiB per case, default 64]
 */
public class ZstdChunks {
    public static void main(String[] args) {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int chunk = 64 * 1024;
        byte[][] cases = {text(mib), json(mib), random(mib)};
        String[] names = {"log text", "json records", "random"};
        System.out.printf("%-13s %5s %7s %12s %14s%n", "data", "level", "ratio", "compress MB/s", "decompress MB/s");
        for (int level : new int[] {1, 3}) {
            for (int c = 0; c < cases.length; c++) {
                run(names[c], cases[c], level, chunk, true); // warm-up
                run(names[c], cases[c], level, chunk, false);
            }
        }
    }

    static void run(String name, byte[] data, int level, int chunk, boolean quiet) {
        ByteBuffer src = ByteBuffer.allocateDirect(chunk);
        ByteBuffer dst = ByteBuffer.allocateDirect((int) Zstd.compressBound(chunk) + 64);
        ByteBuffer all = ByteBuffer.allocateDirect(data.length + data.length / 8 + 1024);
        long compressed = 0;
        long t0 = System.nanoTime();
        try (ZstdCompressCtx cctx = new ZstdCompressCtx().setLevel(level).setWindowLog(17)) {
            for (int off = 0; off < data.length; off += chunk) {
                src.clear();
                src.put(data, off, Math.min(chunk, data.length - off)).flip();
                dst.clear();
                cctx.compressDirectByteBufferStream(dst, src, EndDirective.FLUSH);
                dst.flip();
                compressed += dst.remaining();
                all.put(dst);
            }
        }
        long t1 = System.nanoTime();
        all.flip();
        ByteBuffer out = ByteBuffer.allocateDirect(chunk);
        long plain = 0;
        try (ZstdDecompressCtx dctx = new ZstdDecompressCtx()) {
            while (all.hasRemaining() || out.position() > 0) {
                out.clear();
                dctx.decompressDirectByteBufferStream(out, all);
                if (out.position() == 0) {
                    break;
                }
                plain += out.position();
            }
        }
        long t2 = System.nanoTime();
        if (plain != data.length) {
            throw new IllegalStateException("round trip lost bytes: " + plain + " of " + data.length);
        }
        if (!quiet) {
            System.out.printf("%-13s %5d %7.2f %12.0f %14.0f%n", name, level, (double) data.length / compressed,
                    data.length / 1e6 / ((t1 - t0) / 1e9), data.length / 1e6 / ((t2 - t1) / 1e9));
        }
    }

    static byte[] text(int mib) {
        StringBuilder b = new StringBuilder();
        Random r = new Random(1);
        String[] levels = {"INFO", "WARN", "DEBUG"};
        for (int i = 0; b.length() < mib << 20; i++) {
            b.append("2026-11-23T18:").append(10 + i % 50).append(":").append(i % 60).append(".").append(r.nextInt(1000))
                    .append(" ").append(levels[r.nextInt(3)]).append(" [worker-").append(r.nextInt(8))
                    .append("] request id=").append(Long.toHexString(r.nextLong())).append(" path=/api/items/")
                    .append(r.nextInt(100000)).append(" status=200 bytes=").append(r.nextInt(50000)).append('\n');
        }
        return b.substring(0, mib << 20).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] json(int mib) {
        StringBuilder b = new StringBuilder();
        Random r = new Random(2);
        while (b.length() < mib << 20) {
            b.append("{\"id\":").append(r.nextInt(1_000_000)).append(",\"name\":\"user").append(r.nextInt(5000))
                    .append("\",\"active\":").append(r.nextBoolean()).append(",\"score\":").append(r.nextDouble())
                    .append(",\"tags\":[\"a\",\"b\",\"c\"]}\n");
        }
        return b.substring(0, mib << 20).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int mib) {
        byte[] b = new byte[mib << 20];
        new Random(3).nextBytes(b);
        return b;
    }
}
