package io.sluice.core.pool.internal;

import io.sluice.core.pool.PoolMetricsTracker.EvictionReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One housekeeping pass, as HikariCP's {@code HouseKeeper}: reserves each idle entry before
 * touching it, so no borrower can take an entry that is being closed.
 *
 * <ol>
 *   <li>fails waiters past their deadline (by the pool's ticker);
 *   <li>marks borrowed entries past their lifetime, to be closed on release (soft eviction);
 *   <li>closes idle entries that are broken or past their lifetime;
 *   <li>closes entries idle longer than {@code idle_timeout}, longest idle first, while more than
 *       {@code min_idle} are idle;
 *   <li>tops up to {@code min_idle}.
 * </ol>
 */
final class HouseKeeper {

    private final NettyUpstreamPool pool;
    private final ConnectionBag bag;
    private final PoolSettings settings;

    HouseKeeper(NettyUpstreamPool pool, ConnectionBag bag, PoolSettings settings) {
        this.pool = pool;
        this.bag = bag;
        this.settings = settings;
    }

    /** Callers serialise passes: two at once could both count the same surplus and dip below min_idle. */
    void run() {
        long now = settings.ticker().getAsLong();
        pool.expireWaiters(now);

        List<PoolEntry> reserved = new ArrayList<>();
        for (PoolEntry entry : bag.snapshot()) {
            int state = entry.state();
            if (state == PoolEntry.IN_USE) {
                if (entry.isExpired(now)) {
                    entry.markEvicted(EvictionReason.MAX_LIFETIME);
                }
            } else if (state == PoolEntry.NOT_IN_USE && entry.compareAndSet(PoolEntry.NOT_IN_USE, PoolEntry.RESERVED)) {
                if (!entry.channel().isActive()) {
                    pool.remove(entry, PoolEntry.RESERVED, EvictionReason.BROKEN);
                } else if (entry.isExpired(now)) {
                    pool.remove(entry, PoolEntry.RESERVED, EvictionReason.MAX_LIFETIME);
                } else {
                    reserved.add(entry);
                }
            }
        }

        if (settings.idleTimeoutNanos() > 0) {
            reserved.sort(Comparator.comparingLong(PoolEntry::lastReleasedNanos));
            int surplus = reserved.size() - settings.minIdle();
            for (int i = 0; i < reserved.size() && surplus > 0; i++) {
                PoolEntry entry = reserved.get(i);
                if (entry.idleNanos(now) > settings.idleTimeoutNanos()) {
                    pool.remove(entry, PoolEntry.RESERVED, EvictionReason.IDLE_TIMEOUT);
                    surplus--;
                }
            }
        }

        for (PoolEntry entry : reserved) {
            entry.compareAndSet(PoolEntry.RESERVED, PoolEntry.NOT_IN_USE);
        }
        // Borrowers skipped the reserved entries meanwhile and may have queued.
        pool.serviceWaiters();
        pool.fillToMinIdle();
    }
}
