package io.sluice.transfer.limit;

/**
 * A bandwidth limit shared by every worker of one job.
 *
 * <p>Same contract as {@code io.sluice.core.limit.BandwidthThrottle#reserve(bytes, nowNanos)}, which
 * replaces {@link TokenBucketThrottle} once it lands: the caller reserves the bytes it is about to
 * write and waits the returned number of nanoseconds first.
 */
@FunctionalInterface
public interface Throttle {

    /** Reserves {@code bytes}; returns how long the caller must wait before using them (0: go now). */
    long reserve(long bytes, long nowNanos);

    /** No limit. */
    Throttle UNLIMITED = (bytes, nowNanos) -> 0;
}
