package io.sluice.core.pool.internal;

import io.netty.channel.Channel;
import io.sluice.core.pool.PoolMetricsTracker.EvictionReason;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pooled connection and its state, as HikariCP's {@code PoolEntry}: a compare-and-set state
 * machine. Whoever moves an entry out of {@link #NOT_IN_USE} owns it until it moves it back;
 * only the owner may move it to {@link #REMOVED}, which frees its slot exactly once.
 *
 * <pre>
 * NOT_IN_USE --borrow--> IN_USE --release--> NOT_IN_USE
 * NOT_IN_USE --housekeeper--> RESERVED --keep--> NOT_IN_USE
 * any owner --close--> REMOVED (final)
 * </pre>
 */
public final class PoolEntry {

    public static final int NOT_IN_USE = 0;
    public static final int IN_USE = 1;
    public static final int REMOVED = -1;
    public static final int RESERVED = -2;

    private final Channel channel;
    private final long createdNanos;
    private final long lifetimeNanos; // 0: no limit
    private final AtomicInteger state;
    private volatile long lastReleasedNanos;
    private volatile EvictionReason evictReason;

    PoolEntry(Channel channel, long createdNanos, long lifetimeNanos, int initialState) {
        this.channel = channel;
        this.createdNanos = createdNanos;
        this.lifetimeNanos = lifetimeNanos;
        this.lastReleasedNanos = createdNanos;
        this.state = new AtomicInteger(initialState);
    }

    public Channel channel() {
        return channel;
    }

    public int state() {
        return state.get();
    }

    public boolean compareAndSet(int expect, int update) {
        return state.compareAndSet(expect, update);
    }

    /** True when the entry has outlived its own (jittered) max lifetime at {@code nowNanos}. */
    boolean isExpired(long nowNanos) {
        return lifetimeNanos > 0 && nowNanos - createdNanos >= lifetimeNanos;
    }

    /** How long it has been idle at {@code nowNanos}; meaningful only while it is not in use. */
    long idleNanos(long nowNanos) {
        return nowNanos - lastReleasedNanos;
    }

    long lastReleasedNanos() {
        return lastReleasedNanos;
    }

    void touchReleased(long nowNanos) {
        lastReleasedNanos = nowNanos;
    }

    /** Soft eviction: the entry is in use, so it is closed with this reason when it comes back. */
    void markEvicted(EvictionReason reason) {
        if (evictReason == null) {
            evictReason = reason;
        }
    }

    /** Why it was marked for eviction, or null. */
    EvictionReason evictReason() {
        return evictReason;
    }

    @Override
    public String toString() {
        return "PoolEntry[" + channel + ", state=" + stateName(state.get()) + "]";
    }

    static String stateName(int state) {
        return switch (state) {
            case NOT_IN_USE -> "NOT_IN_USE";
            case IN_USE -> "IN_USE";
            case REMOVED -> "REMOVED";
            case RESERVED -> "RESERVED";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
