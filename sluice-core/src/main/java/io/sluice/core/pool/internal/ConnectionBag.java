package io.sluice.core.pool.internal;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every open entry of a pool, in the spirit of HikariCP's {@code ConcurrentBag}: lock-free
 * borrowing by compare-and-set on each entry's state, preferring entries on the borrower's event
 * loop (Netty's counterpart of Hikari's thread-local list). Holds no counts of its own; they are
 * read off the entries, so they cannot drift.
 */
final class ConnectionBag {

    private final CopyOnWriteArrayList<PoolEntry> entries = new CopyOnWriteArrayList<>();

    void add(PoolEntry entry) {
        entries.add(entry);
    }

    void remove(PoolEntry entry) {
        entries.remove(entry);
    }

    /**
     * Takes an idle entry (now {@link PoolEntry#IN_USE}, owned by the caller), one registered on
     * {@code preferred} if there is one, else any; null when none is idle.
     */
    PoolEntry borrow(EventLoop preferred) {
        for (PoolEntry entry : entries) {
            if (entry.state() == PoolEntry.NOT_IN_USE
                    && entry.channel().eventLoop() == preferred
                    && entry.compareAndSet(PoolEntry.NOT_IN_USE, PoolEntry.IN_USE)) {
                return entry;
            }
        }
        for (PoolEntry entry : entries) {
            if (entry.state() == PoolEntry.NOT_IN_USE && entry.compareAndSet(PoolEntry.NOT_IN_USE, PoolEntry.IN_USE)) {
                return entry;
            }
        }
        return null;
    }

    /** How many entries are in {@code state} now. */
    int count(int state) {
        int n = 0;
        for (PoolEntry entry : entries) {
            if (entry.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** A snapshot to iterate over; entries may change state meanwhile. */
    List<PoolEntry> snapshot() {
        return List.copyOf(entries);
    }
}
