package io.sluice.core.retry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many retries a route may send: at most {@code percent} of its requests, plus a small reserve per second
 * so that a quiet route can still retry. Without such a budget, retries multiply load exactly when backends
 * are failing (the retry storm).
 *
 * <p>Design, after Finagle's {@code TokenRetryBudget}: every request deposits {@code percent} hundredths of a
 * token into a bucket, every retry withdraws a whole token; the bucket holds at most {@link #MAX_BALANCE}
 * tokens' worth, so credit from a long healthy stretch cannot fund an unlimited burst later. The reserve is a
 * separate per-second allowance. Both are single atomics: {@link #tryWithdraw()} and {@link #deposit()} are
 * lock-free and allocation-free. Finagle expires deposits after 10 s instead of capping them; the cap is
 * simpler and bounds the same thing.
 */
public final class RetryBudget {

    /** Credit is kept in hundredths of a retry, so a 20 % budget deposits 20 per request. */
    private static final long UNIT = 100;

    /** The most retries saved-up credit can pay for. */
    static final long MAX_BALANCE = 1_000;

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int percent;
    private final int minPerSecond;
    private final LongSupplier nanoClock;
    private final AtomicLong balance = new AtomicLong();
    /** The reserve: high 40 bits the second it belongs to, low 24 bits the retries taken in it. */
    private final AtomicLong reserve = new AtomicLong();

    private RetryBudget(int percent, int minPerSecond, LongSupplier nanoClock) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 0..100)");
        }
        if (minPerSecond < 0 || minPerSecond >= 1 << 24) {
            throw new IllegalArgumentException("minPerSecond: " + minPerSecond + " (expected: 0..16777215)");
        }
        this.percent = percent;
        this.minPerSecond = minPerSecond;
        this.nanoClock = nanoClock;
    }

    /** A budget of {@code percent} of requests plus {@code minPerSecond} retries each second. */
    public static RetryBudget of(int percent, int minPerSecond) {
        return of(percent, minPerSecond, System::nanoTime);
    }

    /** As {@link #of(int, int)}, reading time from {@code nanoClock} (tests advance it). */
    public static RetryBudget of(int percent, int minPerSecond, LongSupplier nanoClock) {
        return new RetryBudget(percent, minPerSecond, nanoClock);
    }

    /** The budget a policy configures. */
    public static RetryBudget of(RetryPolicy policy) {
        return of(policy.budgetPercent(), policy.budgetMinPerSecond());
    }

    /** A request started: it earns its share of a retry. */
    public void deposit() {
        if (percent == 0) {
            return;
        }
        long cap = MAX_BALANCE * UNIT;
        long current;
        do {
            current = balance.get();
            if (current >= cap) {
                return;
            }
        } while (!balance.compareAndSet(current, Math.min(cap, current + percent)));
    }

    /** Takes one retry from the budget; false when it is spent (the caller must not retry). */
    public boolean tryWithdraw() {
        return takeReserve() || takeBalance();
    }

    private boolean takeReserve() {
        if (minPerSecond == 0) {
            return false;
        }
        long second = Math.floorDiv(nanoClock.getAsLong(), SECOND) & ((1L << 40) - 1);
        while (true) {
            long current = reserve.get();
            long used = (current >>> 24) == second ? current & 0xFF_FFFF : 0;
            if (used >= minPerSecond) {
                return false;
            }
            if (reserve.compareAndSet(current, second << 24 | (used + 1))) {
                return true;
            }
        }
    }

    private boolean takeBalance() {
        while (true) {
            long current = balance.get();
            if (current < UNIT) {
                return false;
            }
            if (balance.compareAndSet(current, current - UNIT)) {
                return true;
            }
        }
    }

    /** Retries the saved-up credit could pay for now (the per-second reserve not included). */
    public long available() {
        return balance.get() / UNIT;
    }

    @Override
    public String toString() {
        return "RetryBudget[" + percent + "% + " + minPerSecond + "/s, available=" + available() + "]";
    }
}
