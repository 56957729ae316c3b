package io.sluice.gateway.jobs;

import io.sluice.transfer.FetchListener;
import java.time.Instant;

/** One job's mutable state; {@link JobManager} owns it and changes it under its own lock. */
final class Job implements FetchListener {

    final String id;
    final JobSpec spec;
    final Instant createdAt;
    volatile JobState state = JobState.QUEUED;
    volatile Instant startedAt;
    volatile Instant finishedAt;
    volatile boolean resumed;
    volatile JobResult result;
    volatile String error;
    volatile boolean cancelRequested;
    volatile Transfer transfer;
    volatile java.util.concurrent.Future<?> future;
    // Progress of the current run: what was already on disk when it started, and when it started.
    volatile long runStartNanos;
    volatile long resumedAtStart;

    Job(String id, JobSpec spec, Instant createdAt) {
        this.id = id;
        this.spec = spec;
        this.createdAt = createdAt;
    }

    @Override
    public void started(long size, long resumed, long chunkSize, int workers, boolean parallel) {
        this.resumedAtStart = resumed;
        this.runStartNanos = System.nanoTime();
    }

    JobView view(boolean withProgress) {
        JobView.Progress progress = null;
        if (withProgress) {
            Transfer f = transfer;
            long size = -1;
            long done = 0;
            if (f != null) {
                io.sluice.transfer.Progress p = f.progress();
                size = p.size();
                done = p.done();
            }
            if (state == JobState.SUCCEEDED && result != null) {
                size = result.size();
                done = result.size();
            }
            double fraction = size > 0 ? Math.min(1.0, (double) done / size) : 0;
            long started = runStartNanos;
            double rate = 0;
            if (started != 0 && state == JobState.RUNNING) {
                rate = Math.max(0, done - resumedAtStart) * 1e9 / Math.max(1, System.nanoTime() - started);
            } else if (result != null && result.elapsedMs() > 0) {
                rate = result.fetchedBytes() * 1000.0 / result.elapsedMs();
            }
            progress = new JobView.Progress(size, done, Math.round(fraction * 10000) / 10000.0, Math.round(rate));
        }
        return new JobView(id, spec.type(), state.wireName(), spec, createdAt.toString(),
                startedAt == null ? null : startedAt.toString(), finishedAt == null ? null : finishedAt.toString(),
                resumed, progress, result, error);
    }
}
