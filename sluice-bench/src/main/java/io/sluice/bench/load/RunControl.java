package io.sluice.bench.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The phases of one run, shared by all lanes: warm-up (sent, not recorded), measurement (recorded), and the end,
 * given either by time ({@code -d}) or by an exact number of measured requests ({@code -n}: each measured request
 * takes one permit before it is sent, so the server sees exactly that many). Every lane counts down once when it
 * stops sending and has nothing in flight.
 */
public final class RunControl {

    private final long startNanos;
    private final long measureStartNanos;
    private final long endNanos;
    private final AtomicLong permits;
    private final CountDownLatch lanesDone;
    private volatile boolean aborted;

    RunControl(LoadOptions o, long startNanos) {
        this.startNanos = startNanos;
        this.measureStartNanos = startNanos + o.warmup().toNanos();
        this.endNanos = o.duration() == null ? Long.MAX_VALUE : measureStartNanos + o.duration().toNanos();
        this.permits = o.requests() > 0 ? new AtomicLong(o.requests()) : null;
        this.lanesDone = new CountDownLatch(o.lanes());
    }

    public long startNanos() {
        return startNanos;
    }

    public long measureStartNanos() {
        return measureStartNanos;
    }

    /** Whether a request meant to go out at {@code sendNanos} is measured (false during warm-up). */
    public boolean measured(long sendNanos) {
        return sendNanos - measureStartNanos >= 0;
    }

    /**
     * May a request meant for {@code sendNanos} go out? Takes a permit in {@code -n} mode when it is measured.
     * False once the run is over for this lane.
     */
    public boolean admit(long sendNanos) {
        if (aborted || sendNanos - endNanos >= 0) {
            return false;
        }
        if (permits == null || !measured(sendNanos)) {
            return true;
        }
        return permits.getAndDecrement() > 0;
    }

    void laneDone() {
        lanesDone.countDown();
    }

    /** Stops every lane at its next decision (Ctrl-C, or the drain deadline passed). */
    public void abort() {
        aborted = true;
    }

    boolean awaitLanes(long timeout, TimeUnit unit) throws InterruptedException {
        return lanesDone.await(timeout, unit);
    }

    boolean finished() {
        return lanesDone.getCount() == 0;
    }

    /** Nanos at which time-bounded runs stop sending, or {@link Long#MAX_VALUE}. */
    public long endNanos() {
        return endNanos;
    }
}
