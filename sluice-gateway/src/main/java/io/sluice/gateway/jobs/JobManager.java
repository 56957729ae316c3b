package io.sluice.gateway.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.core.config.JobBandwidthConfig;
import io.sluice.core.limit.BandwidthSchedule;
import io.sluice.core.limit.BandwidthThrottle;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfer jobs of the daemon (seed 000): a bounded pool of job workers runs {@code fetch} and {@code export} jobs;
 * the job list is kept in {@code <state_dir>/jobs.json} (rewritten atomically on every state change) so that a
 * restarted daemon picks the unfinished ones up again: each fetch resumes from its own journal next to its output
 * file, each export starts again from byte 0 (a compressed stream or an upload cannot be continued; the earlier
 * run's part file is overwritten, its upload was broken off without a final chunk).
 *
 * <p>Progress is not persisted: the fetch journal is the truth about what is on disk.
 */
public final class JobManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobManager.class);

    /** Jobs waiting for a worker at most; more is refused (503) rather than queued without bound. */
    public static final int MAX_QUEUED = 1000;
    /** Jobs remembered at most; the oldest finished ones are forgotten first. */
    public static final int MAX_JOBS = 10_000;

    static final String FILE = "jobs.json";

    private static final ObjectMapper STORE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Optional<Path> stateDir;
    private final ThreadPoolExecutor pool;
    /** {@code admin.job_bandwidth}: every job's throttle is a child of this one; null: unlimited. */
    private final BandwidthThrottle shared;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private volatile boolean closing;

    /** A manager with {@code workers} job workers; {@link #start()} loads and resumes persisted jobs. */
    public JobManager(Optional<Path> stateDir, int workers) {
        this(stateDir, workers, JobBandwidthConfig.UNLIMITED);
    }

    /** A manager whose jobs share {@code bandwidth} between them (each job's own limit applies under it). */
    public JobManager(Optional<Path> stateDir, int workers, JobBandwidthConfig bandwidth) {
        this.stateDir = stateDir;
        this.shared = bandwidth.limits()
                ? BandwidthThrottle.of(BandwidthSchedule.of(bandwidth.global(), bandwidth.profiles(),
                        bandwidth.timeZone()), Clock.systemUTC(), bandwidth.burstBytes())
                : null;
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("sluice-job", true));
    }

    /** Loads the state directory's jobs and queues again those that had not finished. */
    public synchronized JobManager start() throws IOException {
        if (stateDir.isEmpty()) {
            return this;
        }
        Files.createDirectories(stateDir.get());
        Path file = stateDir.get().resolve(FILE);
        if (!Files.exists(file)) {
            return this;
        }
        List<JobView> stored;
        try {
            stored = STORE.readValue(file.toFile(), new TypeReference<List<JobView>>() {});
        } catch (IOException e) {
            Path aside = file.resolveSibling(FILE + ".corrupt-" + System.currentTimeMillis());
            Files.move(file, aside);
            log.warn("jobs: {} is unreadable ({}); moved aside to {}, starting with no jobs", file, e.getMessage(),
                    aside);
            return this;
        }
        int resumed = 0;
        for (JobView v : stored) {
            Job job = new Job(v.id(), v.spec(), Instant.parse(v.createdAt()));
            JobState state = JobState.valueOf(v.state().toUpperCase(java.util.Locale.ROOT));
            job.startedAt = v.startedAt() == null ? null : Instant.parse(v.startedAt());
            job.finishedAt = v.finishedAt() == null ? null : Instant.parse(v.finishedAt());
            job.result = v.result();
            job.error = v.error();
            job.resumed = v.resumed();
            jobs.put(job.id, job);
            if (state.isFinal()) {
                job.state = state;
            } else {
                job.state = JobState.QUEUED;
                job.resumed = true;
                enqueue(job);
                resumed++;
            }
        }
        log.info("jobs: {} loaded from {}, {} unfinished resumed", stored.size(), file, resumed);
        return this;
    }

    /** Queues a fetch or export job; the spec is validated first ({@link JobSpec.InvalidSpecException}). */
    public synchronized JobView submit(JobSpec spec) {
        spec.toOptions(); // validate now: the caller gets 422 instead of a failed job
        long queued = jobs.values().stream().filter(j -> j.state == JobState.QUEUED).count();
        if (queued >= MAX_QUEUED) {
            throw new IllegalStateException("the job queue is full: " + queued + " jobs wait for one of "
                    + pool.getMaximumPoolSize() + " workers; retry later");
        }
        String output = spec.target();
        for (Job j : jobs.values()) {
            if (!j.state.isFinal() && j.spec.target().equals(output)) {
                throw new JobConflictException("job " + j.id + " (" + j.state.wireName() + ") already writes "
                        + output);
            }
        }
        Job job = new Job(newId(), spec.normalized(), Instant.now());
        jobs.put(job.id, job);
        forgetOldest();
        enqueue(job);
        persist();
        log.info("job {}: queued {} {} -> {}", job.id, job.spec.type(), spec.url(), output);
        return job.view(true);
    }

    public synchronized List<JobView> list() {
        List<JobView> out = new ArrayList<>(jobs.size());
        for (Job job : jobs.values()) {
            out.add(job.view(true));
        }
        return out;
    }

    public synchronized Optional<JobView> get(String id) {
        Job job = jobs.get(id);
        return job == null ? Optional.empty() : Optional.of(job.view(true));
    }

    /**
     * Cancels a queued or running job (its part file and journal stay for a later resume) or forgets a finished
     * one; empty when there is no such job.
     */
    public synchronized Optional<JobView> cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            return Optional.empty();
        }
        if (job.state.isFinal()) {
            jobs.remove(id);
            persist();
            return Optional.of(job.view(true));
        }
        job.cancelRequested = true;
        Transfer transfer = job.transfer;
        if (transfer != null) {
            transfer.cancel();
        }
        if (job.future != null) {
            job.future.cancel(false); // a queued job never starts
        }
        if (job.state == JobState.QUEUED) {
            finish(job, JobState.CANCELLED, null, "cancelled");
        }
        // A running job turns cancelled when its workers have stopped (run() returns).
        JobView view = job.view(true);
        return Optional.of(job.state == JobState.RUNNING
                ? new JobView(view.id(), view.type(), JobState.CANCELLED.wireName(), view.spec(), view.createdAt(),
                        view.startedAt(), Instant.now().toString(), view.resumed(), view.progress(), null, "cancelled")
                : view);
    }

    private void enqueue(Job job) {
        try {
            job.future = pool.submit(() -> run(job));
        } catch (RejectedExecutionException e) {
            job.state = JobState.FAILED;
            job.error = "the job pool is shut down";
        }
    }

    private void run(Job job) {
        synchronized (this) {
            if (job.cancelRequested || closing || job.state != JobState.QUEUED) {
                return;
            }
            try {
                job.transfer = Transfer.of(job.spec, job, shared);
            } catch (IllegalArgumentException e) {
                finish(job, JobState.FAILED, null, e.getMessage());
                return;
            }
            job.state = JobState.RUNNING;
            job.startedAt = Instant.now();
            job.runStartNanos = System.nanoTime();
            persist();
        }
        log.info("job {}: running{}", job.id, !job.resumed ? ""
                : job.spec.isExport() ? " (again from byte 0 after a restart: an export cannot resume)"
                : " (resumed after a restart)");
        try {
            JobResult result = job.transfer.run();
            synchronized (this) {
                finish(job, JobState.SUCCEEDED, result, null);
            }
            log.info("job {}: done, {} bytes{}", job.id, result.size(),
                    result.verified() == null ? "" : ", verified " + result.verified());
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (closing && !job.cancelRequested) {
                    return; // stopped by shutdown: stays "running" in the state file, resumed on the next start
                }
                if (job.cancelRequested) {
                    finish(job, JobState.CANCELLED, null, "cancelled");
                } else {
                    finish(job, JobState.FAILED, null, e.getMessage() == null ? e.toString() : e.getMessage());
                    log.warn("job {}: failed: {}", job.id, job.error);
                }
            }
        }
    }

    private void finish(Job job, JobState state, JobResult result, String error) {
        job.state = state;
        job.result = result;
        job.error = error;
        job.finishedAt = Instant.now();
        persist();
    }

    private void forgetOldest() {
        if (jobs.size() <= MAX_JOBS) {
            return;
        }
        var it = jobs.entrySet().iterator();
        while (jobs.size() > MAX_JOBS && it.hasNext()) {
            if (it.next().getValue().state.isFinal()) {
                it.remove();
            }
        }
    }

    /** Rewrites the state file (write a temporary file, then rename over); a failure is logged, not thrown. */
    private void persist() {
        if (stateDir.isEmpty() || closing) {
            return;
        }
        List<JobView> views = jobs.values().stream().map(j -> j.view(false)).toList();
        Path file = stateDir.get().resolve(FILE);
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(stateDir.get());
            STORE.writeValue(tmp.toFile(), views);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("jobs: cannot write {}: {}", file, e.toString());
        }
    }

    private String newId() {
        String id;
        do {
            byte[] bytes = new byte[6];
            ThreadLocalRandom.current().nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
        } while (jobs.containsKey(id));
        return id;
    }

    /**
     * Stops the workers: running fetches stop at their next buffer and keep their journals; the state file still
     * lists them unfinished, so the next start resumes them.
     */
    @Override
    public void close() {
        List<Job> running;
        synchronized (this) {
            if (closing) {
                return;
            }
            persist();
            closing = true;
            running = jobs.values().stream().filter(j -> j.state == JobState.RUNNING).toList();
        }
        for (Job job : running) {
            Transfer f = job.transfer;
            if (f != null) {
                f.cancel();
            }
        }
        ExecutorService p = pool;
        p.shutdownNow();
        try {
            if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("jobs: workers still busy after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job for the same output file is already queued or running (409). */
    public static final class JobConflictException extends RuntimeException {
        JobConflictException(String message) {
            super(message);
        }
    }
}
