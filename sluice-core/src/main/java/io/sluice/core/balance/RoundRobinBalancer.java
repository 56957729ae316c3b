package io.sluice.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands requests to each backend in turn. Lock-free: one atomic counter over an immutable list. */
final class RoundRobinBalancer implements Balancer {

    private final Backend[] backends;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length == 0) {
            return null;
        }
        return backends[Math.floorMod(next.getAndIncrement(), backends.length)];
    }
}
