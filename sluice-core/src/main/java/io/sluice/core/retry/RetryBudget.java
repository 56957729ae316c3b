package io.sluice.core.retry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets retries be at most a share of live requests plus a small floor per second (Finagle's RetryBudget: a
 * percentage of requests and a minimum of retries per second). Every request deposits {@code ratio} of a token,
 * time deposits {@code minPerSecond} tokens a second, every retry withdraws a whole one, and the balance is capped.
 * With the defaults (20 %, 10/s) a route whose every backend fails sends about 1.2× its requests upstream instead
 * of 1 + max_retry_attempts times as many, while a quiet route can still retry a few requests.
 */
public final class RetryBudget {

    private static final long SCALE = 1000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long depositMilli;
    private final long minPerSecond;
    private final long capMilli;
    private final AtomicLong balanceMilli;
    private final AtomicLong refilledAt;
    private final LongSupplier ticker;

    /**
     * @param ratio        retries allowed per request, 0..1
     * @param minPerSecond retries allowed per second whatever the traffic (also the starting balance)
     */
    public RetryBudget(double ratio, int minPerSecond) {
        this(ratio, minPerSecond, System::nanoTime);
    }

    public RetryBudget(double ratio, int minPerSecond, LongSupplier ticker) {
        this.depositMilli = Math.round(ratio * SCALE);
        this.minPerSecond = minPerSecond;
        this.capMilli = Math.max(minPerSecond * SCALE, depositMilli * 100);
        this.balanceMilli = new AtomicLong(minPerSecond * SCALE);
        this.ticker = ticker;
        this.refilledAt = new AtomicLong(ticker.getAsLong());
    }

    /** A request started. */
    public void deposit() {
        add(depositMilli);
    }

    /** Whether one retry may go out now; takes a token if so. */
    public boolean tryWithdraw() {
        refill();
        long current;
        do {
            current = balanceMilli.get();
            if (current < SCALE) {
                return false;
            }
        } while (!balanceMilli.compareAndSet(current, current - SCALE));
        return true;
    }

    private void refill() {
        long now = ticker.getAsLong();
        long last = refilledAt.get();
        long earned = (now - last) * minPerSecond * SCALE / NANOS_PER_SECOND;
        if (earned > 0 && refilledAt.compareAndSet(last, now)) {
            add(earned);
        }
    }

    private void add(long milli) {
        long current;
        do {
            current = balanceMilli.get();
            if (current >= capMilli) {
                return;
            }
        } while (!balanceMilli.compareAndSet(current, Math.min(capMilli, current + milli)));
    }
}
