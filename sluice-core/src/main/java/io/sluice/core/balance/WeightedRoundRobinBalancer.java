package io.sluice.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every backend's weight to its current score,
 * takes the highest, and subtracts the total from the winner. Shares match the weights exactly over a cycle and a
 * heavy backend's picks are spread out (5:1:1 gives a a b a c a a, never a a a a a b c).
 *
 * <p>nginx's pick is a scan of every backend. Since the sequence depends only on the weights, it repeats every
 * {@code sum(weights) / gcd(weights)} picks, so this balancer computes one cycle when it is built (the balancer is
 * rebuilt whenever the usable set changes) and a pick is an atomic increment and an array read. While a backend
 * is in its slow-start ramp its weight moves with time, so until the last ramp ends picks fall back to nginx's scan
 * (under a short lock); so do weight sets whose cycle would be too long to store.
 */
final class WeightedRoundRobinBalancer implements Balancer {

    /** Longest cycle stored: 64 Ki picks (256 KiB). */
    static final int MAX_CYCLE = 1 << 16;
    /** Most work spent computing a cycle: picks times backends. */
    static final long MAX_WORK = 1L << 24;

    private final Backend[] backends;
    private final long[] current;
    private final int[] cycle;
    private final long rampEnd;
    private final AtomicLong next = new AtomicLong();

    WeightedRoundRobinBalancer(List<Backend> backends) {
        this.backends = backends.toArray(Backend[]::new);
        this.current = new long[this.backends.length];
        long end = Long.MIN_VALUE;
        for (Backend b : this.backends) {
            long e = b.rampEndNanos();
            if (e != Long.MIN_VALUE && (end == Long.MIN_VALUE || e - end > 0)) {
                end = e;
            }
        }
        this.rampEnd = end;
        this.cycle = cycle(this.backends);
    }

    @Override
    public Backend pick(PickContext context) {
        if (backends.length == 0) {
            return null;
        }
        if (cycle == null || rampEnd != Long.MIN_VALUE && System.nanoTime() - rampEnd < 0) {
            return scan();
        }
        return backends[cycle[(int) Long.remainderUnsigned(next.getAndIncrement(), cycle.length)]];
    }

    /** nginx's pick, over the weights in effect now. */
    private Backend scan() {
        synchronized (current) {
            long total = 0;
            int best = 0;
            for (int i = 0; i < backends.length; i++) {
                int weight = backends[i].effectiveWeight();
                current[i] += weight;
                total += weight;
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            return backends[best];
        }
    }

    /** One full cycle of nginx's sequence for the configured weights, or null when too long to keep. */
    static int[] cycle(Backend[] backends) {
        int n = backends.length;
        if (n == 0) {
            return null;
        }
        long[] weights = new long[n];
        long gcd = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = backends[i].weight();
            gcd = gcd(gcd, weights[i]);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] /= gcd;
            total += weights[i];
        }
        if (total > MAX_CYCLE || total * n > MAX_WORK) {
            return null;
        }
        int[] out = new int[(int) total];
        long[] scores = new long[n];
        for (int k = 0; k < out.length; k++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                scores[i] += weights[i];
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            scores[best] -= total;
            out[k] = best;
        }
        return out;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
