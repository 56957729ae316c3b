package io.sluice.transfer;

import io.sluice.transfer.internal.JobContext;
import io.sluice.transfer.internal.RangeFetcher;
import io.sluice.transfer.plan.Segment;
import io.sluice.transfer.plan.WorkerTuner;
import io.sluice.transfer.plan.WorkQueue;
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
    /** Only the thread that called {@link #run} adds to it. */
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    Workers(JobContext ctx, WorkQueue queue, Recorder recorder) {
        this.ctx = ctx;
        this.queue = queue;
        this.recorder = recorder;
    }

    /** Runs {@code count} workers to the end; returns the first failure, or null when every range is recorded. */
    Throwable run(int count) {
        return run(count, null, 0);
    }

    /**
     * Runs {@code initial} workers and, with a {@code tuner}, adds workers at the end of each {@code windowNanos}
     * window as it asks ({@code --workers auto}); returns the first failure, or null when every range is recorded.
     */
    Throwable run(int initial, WorkerTuner tuner, long windowNanos) {
        for (int i = 0; i < initial; i++) {
            startWorker();
        }
        boolean interrupted = false;
        if (tuner != null) {
            try {
                while (failure.get() == null && !ctx.isCancelled() && !queue.isDrained()) {
                    long windowEnd = System.nanoTime() + windowNanos;
                    while (System.nanoTime() < windowEnd && !queue.isDrained() && failure.get() == null) {
                        TimeUnit.MILLISECONDS.sleep(10); // a small file may finish within the window: do not wait it out
                    }
                    if (queue.isDrained()) {
                        break;
                    }
                    int add = tuner.next(ctx.fetched(), System.nanoTime(), threads.size());
                    for (int i = 0; i < add && !queue.isDrained(); i++) {
                        startWorker();
                    }
                    if (tuner.settled() || threads.stream().noneMatch(Thread::isAlive)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                interrupted = true;
                ctx.cancel("interrupted");
            }
        }
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

    /** How many workers were started (for {@code --workers auto}, what the tuner settled on). */
    int started() {
        return threads.size();
    }

    private void startWorker() {
        threads.add(Thread.ofPlatform().name("sluice-fetch-" + threads.size()).daemon().start(this::work));
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
