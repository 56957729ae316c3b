package io.sluice.transfer.plan;

/**
 * {@code --workers auto}: starts with {@link #INITIAL} workers and, once per measuring window, doubles them while
 * the measured throughput keeps improving by at least {@link #MIN_GAIN}; the first window that does not improve
 * enough settles the count for the rest of the job. Windows only count once data flows (the first one that sees
 * bytes sets the baseline: it includes connection setup), and a window without any data decides nothing.
 *
 * <p>Doubling (2, 4, 8, 16) reaches the maximum in three decisions. A link limited per connection (WAN latency, a
 * server's per-connection cap) roughly doubles with the workers and keeps growing; a saturated link, a CPU-bound
 * machine or a {@code --limit} shows no gain and stops the growth. Not thread-safe: one caller.
 */
public final class WorkerTuner {

    public static final int INITIAL = 2;
    /** Relative throughput gain a step must show for the next step to be taken. */
    public static final double MIN_GAIN = 0.15;

    private final int max;
    private long lastBytes = -1;
    private long lastNanos;
    private double best;
    private boolean settled;

    public WorkerTuner(int max) {
        this.max = max;
    }

    /**
     * Called at the end of each window with the job's byte count and the time; returns how many workers to add now
     * (0 once settled or at the maximum).
     */
    public int next(long bytes, long nowNanos, int current) {
        if (lastBytes < 0 || bytes == lastBytes) {
            lastBytes = bytes <= 0 ? -1 : bytes; // no data yet (connecting, a cold JVM) or a stall: no evidence
            lastNanos = nowNanos;
            return 0;
        }
        double rate = (bytes - lastBytes) * 1e9 / Math.max(1, nowNanos - lastNanos);
        lastBytes = bytes;
        lastNanos = nowNanos;
        if (settled || current >= max) {
            return 0;
        }
        if (rate > best * (1 + MIN_GAIN)) {
            best = rate;
            return Math.min(current, max - current);
        }
        settled = true;
        return 0;
    }

    public boolean settled() {
        return settled;
    }
}
