package io.sluice.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What one thread measured: two single-writer HdrHistogram recorders (microseconds) and counters. Written by its
 * owning thread only (wait-free, no lock), read by the {@link Collector} once a second.
 *
 * <ul>
 *   <li>{@code latency}: completion − intended send time (the corrected figure; equal to service time in the
 *       closed model);
 *   <li>{@code service}: completion − actual send time (what an uncorrected tool would report).
 * </ul>
 */
public final class Probe {

    private static final int BYTES_IN = ErrorKind.values().length;
    private static final int BYTES_OUT = BYTES_IN + 1;

    private final SingleWriterRecorder latency = new SingleWriterRecorder(3);
    private final SingleWriterRecorder service = new SingleWriterRecorder(3);
    private final AtomicLongArray counters = new AtomicLongArray(BYTES_OUT + 1);

    /** A response completed (any status): latencies in nanoseconds. */
    public void response(long latencyNanos, long serviceNanos) {
        latency.recordValue(Math.max(1, latencyNanos / 1000));
        service.recordValue(Math.max(1, serviceNanos / 1000));
    }

    public void error(ErrorKind kind) {
        add(kind.ordinal(), 1);
    }

    public void bytesIn(long n) {
        add(BYTES_IN, n);
    }

    public void bytesOut(long n) {
        add(BYTES_OUT, n);
    }

    // single writer: a plain read-add-lazySet is enough and cheaper than a locked add
    private void add(int i, long n) {
        counters.lazySet(i, counters.get(i) + n);
    }

    Histogram latencyInterval(Histogram recycle) {
        return latency.getIntervalHistogram(recycle);
    }

    Histogram serviceInterval(Histogram recycle) {
        return service.getIntervalHistogram(recycle);
    }

    long errors(ErrorKind kind) {
        return counters.get(kind.ordinal());
    }

    long bytesIn() {
        return counters.get(BYTES_IN);
    }

    long bytesOut() {
        return counters.get(BYTES_OUT);
    }
}
