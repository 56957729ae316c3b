package io.sluice.transfer.plan;

/**
 * Picks the chunk size when {@code --chunk} is not given, from the first chunk's measurements.
 *
 * <p>The rule (seed 000), documented in docs/TRANSFER.md: start with {@link #INITIAL} (8 MiB); once
 * the first chunk has arrived, look at its time to first byte (a latency estimate) and throughput:
 * <ul>
 *   <li>high latency (first byte after 300 ms or more): 4 MiB, or 1 MiB below 1 MB/s — small chunks
 *       lose little when a retry on a slow, lossy link has to start over;</li>
 *   <li>fast link (100 MB/s or more, latency under 20 ms): 64 MiB; 40 MB/s or more: 32 MiB —
 *       fewer requests and journal writes;</li>
 *   <li>anything else (a WAN): 16 MiB at 10 MB/s or more, else 8 MiB.</li>
 * </ul>
 */
public final class ChunkSizer {

    public static final long MIB = 1L << 20;
    public static final long INITIAL = 8 * MIB;
    public static final long MIN = MIB;
    public static final long MAX = 64 * MIB;

    private ChunkSizer() {}

    /**
     * Parses {@code --chunk}: a byte count with an optional unit (K, KB, KiB, M, MB, MiB, G...: all powers
     * of 1024 here), in {@link #MIN}..{@link #MAX}.
     */
    public static long parse(String text) {
        long bytes = bytes(text);
        if (bytes < MIN || bytes > MAX) {
            throw new IllegalArgumentException("--chunk: " + text + " (expected: 1MB..64MB)");
        }
        return bytes;
    }

    /** A size such as {@code 64MB} or {@code 1GiB} for {@code option}, 1 MiB..4 GiB (binary units). */
    public static long parseSize(String option, String text) {
        long bytes = bytes(text);
        if (bytes < MIN || bytes > (4L << 30)) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: 1MB..4GB)");
        }
        return bytes;
    }

    private static long bytes(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([kmg]?)(i?b?)", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text.trim());
        long bytes = -1;
        if (m.matches()) {
            int power = "kmg".indexOf(m.group(2).toLowerCase(java.util.Locale.ROOT)) + 1;
            bytes = Long.parseLong(m.group(1)) << (10 * power);
        }
        return bytes;
    }

    /** The chunk size for a link whose first chunk took {@code firstByteNanos} to start and moved {@code bytes} in {@code elapsedNanos}. */
    public static long choose(long bytes, long elapsedNanos, long firstByteNanos) {
        double bytesPerSecond = bytes * 1e9 / Math.max(1, elapsedNanos);
        double latencyMillis = firstByteNanos / 1e6;
        if (latencyMillis >= 300) {
            return bytesPerSecond < 1e6 ? MIB : 4 * MIB;
        }
        if (latencyMillis < 20 && bytesPerSecond >= 100e6) {
            return 64 * MIB;
        }
        if (bytesPerSecond >= 40e6) {
            return 32 * MIB;
        }
        return bytesPerSecond >= 10e6 ? 16 * MIB : 8 * MIB;
    }
}
