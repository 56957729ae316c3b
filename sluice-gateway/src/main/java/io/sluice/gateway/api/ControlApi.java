package io.sluice.gateway.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.gateway.control.LiveRoutes;
import io.sluice.gateway.jobs.JobManager;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The control API (issue 8, {@code docs/api/openapi.yaml}): its router and the one thread every call runs on.
 * One thread serialises the changes (no two operators' edits interleave) and keeps the event loops free of the
 * work some calls do (file reads for reloads, job state writes, gzip).
 */
public final class ControlApi implements AutoCloseable {

    public static final String PREFIX = "/api/v1";
    /** Largest request body, compressed or not (seed 000). */
    public static final int MAX_BODY_BYTES = 1_000_000;
    /** Responses at least this long are gzipped for clients that accept it. */
    public static final int GZIP_THRESHOLD = 1024;

    private final ApiRouter router = new ApiRouter();
    private final ScheduledExecutorService executor;

    public ControlApi(LiveRoutes live, MeterRegistry registry, JobManager jobs, ConfigReloader reloader) {
        Objects.requireNonNull(live, "live");
        this.executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-admin-api", true));
        new RoutesResource(live).register(router);
        StatsResource stats = new StatsResource(live, registry);
        stats.register(router);
        new ConfigResource(reloader).register(router);
        new JobsResource(jobs).register(router);
        new BatchResource(router).register();
        executor.scheduleAtFixedRate(() -> {
            try {
                stats.sample();
            } catch (RuntimeException e) { // a failed sample must not end the schedule
                org.slf4j.LoggerFactory.getLogger(ControlApi.class).warn("stats sample failed", e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Every operation routed; the OpenAPI agreement test compares them with the document. */
    public ApiRouter router() {
        return router;
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    /** Runs one call on the calling thread (tests and benchmarks; HTTP calls go through the API thread). */
    public ApiResponse dispatch(ApiRequest request) {
        return router.dispatch(request);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
