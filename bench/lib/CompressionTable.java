// Seed 000's compression table for bench/layer-cost: for each corpus file, the compressed size, wall time and CPU
// time of gzip levels 1, 6 and 9 (java.util.zip, the zlib the gateway's gzip uses) and zstd level 3 (zstd-jni, as
// the gateway's zstd). Each codec compresses the whole file in 64 KiB writes (as streamed responses are), best of
// --repeat runs. Prints one JSON object per line. Run: java -cp zstd-jni.jar CompressionTable.java [--repeat N] FILE...
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

public class CompressionTable {

    interface Codec {
        OutputStream wrap(OutputStream out) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int repeat = 3;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--repeat")) {
                repeat = Integer.parseInt(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] names = {"none", "gzip-1 (fast)", "gzip-6 (balanced)", "gzip-9 (maximum)", "zstd-3"};
        Codec[] codecs = {
            out -> out,
            out -> gzip(out, 1),
            out -> gzip(out, 6),
            out -> gzip(out, 9),
            out -> new ZstdOutputStream(out, 3),
        };
        for (Path file : files) {
            byte[] data = Files.readAllBytes(file);
            for (int c = 0; c < codecs.length; c++) {
                long bestWall = Long.MAX_VALUE;
                long bestCpu = Long.MAX_VALUE;
                long size = 0;
                for (int r = 0; r < repeat + 1; r++) { // the first run warms up the JIT and is not counted
                    ByteArrayOutputStream sink = new ByteArrayOutputStream(data.length / 2 + 1024);
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    try (OutputStream out = codecs[c].wrap(sink)) {
                        for (int off = 0; off < data.length; off += 65536) {
                            out.write(data, off, Math.min(65536, data.length - off));
                        }
                    }
                    long wall = System.nanoTime() - t0;
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                    size = sink.size();
                    if (r > 0) {
                        bestWall = Math.min(bestWall, wall);
                        bestCpu = Math.min(bestCpu, cpu);
                    }
                }
                System.out.printf("{\"file\":\"%s\",\"bytes\":%d,\"codec\":\"%s\",\"compressed\":%d,\"wall_ms\":%.2f,"
                                + "\"cpu_ms\":%.2f}%n", file.getFileName(), data.length, names[c], size,
                        bestWall / 1e6, bestCpu / 1e6);
            }
        }
    }

    static OutputStream gzip(OutputStream out, int level) throws Exception {
        return new GZIPOutputStream(out, 65536) {
            {
                def.setLevel(level);
            }
        };
    }
}
