package io.sluice.transfer.retry;

/**
 * How long to wait before retry number {@code attempt} of a chunk.
 *
 * <p>A deliberately small seam: {@code io.sluice.core.retry.Backoff} (full jitter) replaces
 * {@link FullJitterBackoff} once it lands, through an adapter of one line.
 */
@FunctionalInterface
public interface RetryBackoff {

    /** The delay before retry {@code attempt} (1 for the first retry), in nanoseconds; never negative. */
    long delayNanos(int attempt);

    /** Seed 003's defaults: 100 ms initial, doubling, at most 10 s, full jitter. */
    static RetryBackoff defaults() {
        return FullJitterBackoff.of(100_000_000L, 10_000_000_000L);
    }

    /** No waiting at all: for tests. */
    static RetryBackoff none() {
        return attempt -> 0;
    }
}
