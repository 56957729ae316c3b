package io.sluice.transfer.internal;

import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.transfer.FetchListener;
import io.sluice.transfer.FetchOptions;
import io.sluice.transfer.http.RangeClient;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every worker of one job shares: the client, the data file, the validator to send in
 * {@code If-Range}, counters, and the cancellation flag.
 */
public final class JobContext {

    final FetchOptions options;
    final FetchListener listener;
    final RangeClient client;
    final URI uri;
    final long size;
    /** Sent as If-Range: a strong ETag or a Last-Modified; null when the server gave neither. */
    final String ifRange;
    final boolean ifRangeIsEtag;
    final DataFile data;
    /** Where {@link RangeFetcher} puts bytes: the data file, or an export's reorder buffer. */
    final ChunkSink sink;
    final AtomicLong fetched = new AtomicLong();
    final AtomicInteger retries = new AtomicInteger();
    private volatile String cancelled;

    public JobContext(FetchOptions options, FetchListener listener, RangeClient client, URI uri, long size,
                      String ifRange, boolean ifRangeIsEtag, DataFile data) {
        this(options, listener, client, uri, size, ifRange, ifRangeIsEtag, data, data);
    }

    /** A context whose ranges go to {@code sink} ({@code data} may then be null: nothing is written to a file). */
    public JobContext(FetchOptions options, FetchListener listener, RangeClient client, URI uri, long size,
                      String ifRange, boolean ifRangeIsEtag, DataFile data, ChunkSink sink) {
        this.options = options;
        this.listener = listener;
        this.client = client;
        this.uri = uri;
        this.size = size;
        this.ifRange = ifRange;
        this.ifRangeIsEtag = ifRangeIsEtag;
        this.data = data;
        this.sink = sink;
    }

    public long fetched() {
        return fetched.get();
    }

    public int retries() {
        return retries.get();
    }

    /** Stops every worker at its next buffer; {@code why} becomes their exception's message. */
    public void cancel(String why) {
        if (cancelled == null) {
            cancelled = why;
        }
    }

    public boolean isCancelled() {
        return cancelled != null;
    }

    void checkCancelled() throws InterruptedIOException {
        String why = cancelled;
        if (why != null || Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(why != null ? why : "interrupted");
        }
    }

    /** Waits as long as the throttle (and its parents) ask before using {@code bytes}. */
    void pace(int bytes) throws InterruptedIOException {
        BandwidthThrottle throttle = options.throttle();
        if (throttle == null) {
            return;
        }
        long wait = throttle.reserve(bytes, System.nanoTime());
        if (wait > 0) {
            sleep(wait);
        }
    }

    void sleep(long nanos) throws InterruptedIOException {
        long deadline = System.nanoTime() + nanos;
        try {
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                checkCancelled();
                TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
