package io.sluice.core.limit.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.core.limit.BandwidthThrottle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds one channel's reads to a {@link BandwidthThrottle}: bytes just read are debited, and when the throttle
 * asks for a wait, the channel's {@link ReadGate} is paused for {@link ReadGate#THROTTLE} and reopened by a task on
 * {@code executor} once the wait is over. The bytes already read go on at once (they are in memory anyway);
 * what waits is the next read, so memory stays at one read buffer however fast the sender, and no thread sleeps.
 *
 * <p>Debit from the thread that reads the channel, so that a pause stops its read loop at once (Netty checks
 * {@code autoRead} between reads); a debit made on another thread takes effect a few reads late, and the bytes
 * read meanwhile pass before their debt is paid. Methods are synchronized (uncontended in practice), so
 * {@link #cancel} may come from another thread.
 */
public final class ReadPacer {

    private final ReadGate gate;
    private final EventExecutor executor;
    private final LongSupplier nanoTime;
    private Runnable onResume;

    private long resumeAtNanos;
    private ScheduledFuture<?> timer;
    private long pauses;
    private boolean cancelled;

    public ReadPacer(ReadGate gate, EventExecutor executor) {
        this(gate, executor, System::nanoTime);
    }

    /** @param nanoTime the clock the throttles are read with; tests may pass virtual time */
    public ReadPacer(ReadGate gate, EventExecutor executor, LongSupplier nanoTime) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Runs {@code task} each time a wait ends (and the throttle's reason is released). */
    public ReadPacer onResume(Runnable task) {
        this.onResume = task;
        return this;
    }

    /** Debits {@code bytes}, just read, against {@code throttle} (and its parents); pauses reading if it says so. */
    public synchronized void onRead(BandwidthThrottle throttle, int bytes) {
        if (bytes <= 0 || cancelled) {
            return;
        }
        long now = nanoTime.getAsLong();
        long wait = throttle.reserve(bytes, now);
        if (wait > 0) {
            hold(now + wait, now);
        }
    }

    /** Whether reading is held back by this pacer now. */
    public synchronized boolean holding() {
        return timer != null;
    }

    /** How often reading was paused so far. */
    public synchronized long pauses() {
        return pauses;
    }

    /** Stops pacing for good: the timer is dropped and the gate's throttle reason released. */
    public synchronized void cancel() {
        cancelled = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        gate.resume(ReadGate.THROTTLE);
    }

    private void hold(long until, long now) {
        if (timer != null) {
            // More bytes arrived from the same read loop: the wait only grows; the timer re-checks when it fires.
            resumeAtNanos = Math.max(resumeAtNanos, until);
            return;
        }
        pauses++;
        resumeAtNanos = until;
        gate.pause(ReadGate.THROTTLE);
        schedule(until - now);
    }

    private void schedule(long delayNanos) {
        timer = executor.schedule(this::onTimer, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private synchronized void onTimer() {
        timer = null;
        long left = resumeAtNanos - nanoTime.getAsLong();
        if (left > 0) {
            schedule(left);
        } else if (cancelled) {
            return;
        } else {
            gate.resume(ReadGate.THROTTLE);
            if (onResume != null) {
                onResume.run();
            }
        }
    }
}
