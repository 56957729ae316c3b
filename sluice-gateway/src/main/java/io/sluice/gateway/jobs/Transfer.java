package io.sluice.gateway.jobs;

import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.transfer.ExportJob;
import io.sluice.transfer.FetchJob;
import io.sluice.transfer.FetchListener;
import io.sluice.transfer.Progress;
import io.sluice.transfer.export.ExportTarget;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * One run of a job: a resumable fetch, or a streaming export (which always starts at byte 0: a compressed stream
 * or an upload cannot be continued where an earlier run stopped). Both kinds cancel and report progress alike;
 * only how they run differs.
 */
record Transfer(Body body, Runnable stop, Supplier<Progress> meter) {

    /** What {@link #run()} does. */
    @FunctionalInterface
    interface Body {
        JobResult run() throws IOException;
    }

    /** Runs to the end on the calling thread (a job worker). */
    JobResult run() throws IOException {
        return body.run();
    }

    /** Stops the run at its next buffer; {@link #run()} then throws. */
    void cancel() {
        stop.run();
    }

    Progress progress() {
        return meter.get();
    }

    /**
     * The transfer a spec describes, throttled under {@code shared} (the daemon's limit for all jobs, or null); the
     * spec has been validated ({@link JobSpec#toOptions()}).
     */
    static Transfer of(JobSpec spec, FetchListener listener, BandwidthThrottle shared) {
        if (spec.isExport()) {
            ExportJob job = ExportJob.create(spec.toOptions(shared), spec.compression(), spec.bufferBytes(), listener);
            return new Transfer(() -> {
                ExportTarget target = ExportTarget.open(spec.output().strip(), spec.method(), spec.compression());
                JobResult result = JobResult.of(job.run(target.stream()), spec.output().strip());
                target.commit();
                return result;
            }, job::cancel, job::progress);
        }
        FetchJob job = FetchJob.create(spec.toOptions(shared), listener);
        return new Transfer(() -> JobResult.of(job.run()), job::cancel, job::progress);
    }
}
