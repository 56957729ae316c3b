package io.sluice.core.balance;

/** How loaded a backend is, for the load-aware balancers. */
final class Load {

    private Load() {}

    /**
     * Requests in flight, counting the one being placed, per unit of effective weight. Counting the new request
     * makes weights matter even when nothing is in flight (an idle backend of weight 200 is a better place than
     * an idle one of weight 100), as Envoy's least-request does. Equal ratios are equal doubles, since IEEE
     * division is correctly rounded, so ties are real ties.
     */
    static double of(Backend backend, long nowNanos) {
        return (backend.inFlight() + 1) / backend.effectiveWeight(nowNanos);
    }
}
