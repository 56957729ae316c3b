package io.sluice.transfer;

import io.sluice.transfer.internal.JobContext;
import io.sluice.transfer.internal.RangeFetcher;
import io.sluice.transfer.plan.Segment;
import io.sluice.transfer.plan.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads of one job. Each takes a segment from the {@link WorkQueue} (stolen when the
 * queue is empty), fetches it and records it; the first failure cancels the others.
 *
 * <p>Workers are platform threads doing blocking positional writes: disk I/O never runs on a Netty
 * event loop, and the throttle's waits are plain sleeps.
 */
final class Workers {

    private final JobContext ctx;
    private final WorkQueue queue;
    private final Recorder recorder;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Workers(JobContext ctx, WorkQueue queue, Recorder recorder) {
        this.ctx = ctx;
        this.queue = queue;
        this.recorder = recorder;
    }

    /** Runs {@code count} workers to the end; returns the first failure, or null when every range is recorded. */
    Throwable run(int count) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofPlatform().name("sluice-fetch-" + i).daemon().start(this::work));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    ctx.cancel("interrupted");
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() == null && ctx.isCancelled()) {
            return new java.io.InterruptedIOException("cancelled");
        }
        return failure.get();
    }

    private void work() {
        RangeFetcher fetcher = new RangeFetcher(ctx);
        while (failure.get() == null && !ctx.isCancelled()) {
            Segment segment = queue.next();
            if (segment == null) {
                if (queue.isDrained()) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // others are busy: look again for work to steal
                continue;
            }
            try {
                recorder.record(fetcher.fetch(segment));
                queue.done(segment);
            } catch (Throwable t) {
                queue.giveBack(segment);
                if (failure.compareAndSet(null, t)) {
                    ctx.cancel("stopped: another worker failed");
                }
                return;
            }
        }
    }
}
