package io.sluice.core.pool.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Borrowers waiting for a connection, oldest first, with an O(1) size for stats. Removal is by
 * identity and atomic: of the server, the timeout and a cancellation, exactly one wins.
 */
final class WaiterQueue implements Iterable<Waiter> {

    private final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    void add(Waiter waiter) {
        size.incrementAndGet();
        queue.addLast(waiter);
    }

    Waiter peek() {
        return queue.peekFirst();
    }

    Waiter poll() {
        Waiter w = queue.pollFirst();
        if (w != null) {
            size.decrementAndGet();
        }
        return w;
    }

    /** True if this call took {@code waiter} out of the queue. */
    boolean remove(Waiter waiter) {
        if (queue.removeFirstOccurrence(waiter)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return Math.max(0, size.get());
    }

    @Override
    public Iterator<Waiter> iterator() {
        return queue.iterator();
    }
}
