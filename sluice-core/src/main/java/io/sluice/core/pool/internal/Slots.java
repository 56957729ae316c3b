package io.sluice.core.pool.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's ceiling: one slot per open or opening connection. A slot is taken before a connect
 * starts and given back exactly once, when the connect fails or the entry is removed.
 */
final class Slots {

    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    Slots(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        for (;;) {
            int n = used.get();
            if (n >= max) {
                return false;
            }
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        used.decrementAndGet();
    }

    int used() {
        return used.get();
    }

    int max() {
        return max;
    }
}
