package io.sluice.transfer.limit;

/**
 * A token bucket refilled at {@code bytesPerSecond} holding at most one second of tokens. Tokens may
 * go negative: a reservation larger than the balance is granted and the caller waits until the debt
 * is paid back, so large buffers are never starved and the long-run rate is exact.
 */
public final class TokenBucketThrottle implements Throttle {

    private final double bytesPerNano;
    private final double capacity;
    private double tokens;
    private long last;
    private boolean started;

    public TokenBucketThrottle(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate: " + bytesPerSecond + " B/s (expected: > 0)");
        }
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.capacity = bytesPerSecond;
    }

    @Override
    public synchronized long reserve(long bytes, long nowNanos) {
        if (!started) {
            started = true;
            last = nowNanos;
            tokens = 0;
        }
        tokens = Math.min(capacity, tokens + (nowNanos - last) * bytesPerNano);
        last = nowNanos;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerNano);
    }
}
