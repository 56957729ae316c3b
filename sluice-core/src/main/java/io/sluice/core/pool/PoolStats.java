package io.sluice.core.pool;

/**
 * A pool's live figures.
 *
 * @param total   open connections, idle or borrowed, plus those being opened
 * @param active  borrowed
 * @param idle    open and free
 * @param pending requests waiting for a connection
 */
public record PoolStats(int total, int active, int idle, int pending) {

    @Override
    public String toString() {
        return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + pending;
    }
}
