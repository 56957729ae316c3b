package io.sluice.gateway.api;

import io.sluice.gateway.jobs.JobManager;
import io.sluice.gateway.jobs.JobSpec;
import io.sluice.gateway.jobs.JobView;
import java.util.List;

/** {@code /api/v1/jobs}: transfer jobs of the daemon (seed 000's API). */
final class JobsResource {

    static final String JOBS = "/api/v1/jobs";

    private final JobManager jobs;

    JobsResource(JobManager jobs) {
        this.jobs = jobs;
    }

    void register(ApiRouter router) {
        router.add("GET", JOBS, (req, p) -> ApiResponse.ok(new JobList(jobs.list())))
                .add("POST", JOBS, (req, p) -> {
                    JobSpec spec = Codec.bind(req.body(), JobSpec.class,
                            "a job {type, url, output, workers, chunk, limit, checksum, fast_resume, restart_on_change,"
                                    + " compress, upload_method, buffer}");
                    JobView job;
                    try {
                        job = jobs.submit(spec);
                    } catch (JobSpec.InvalidSpecException e) {
                        throw RoutesResource.validation(e.errors().stream()
                                .map(i -> new Problem.FieldError(i.field(), i.message())).toList());
                    } catch (JobManager.JobConflictException e) {
                        throw ApiException.conflict(e.getMessage());
                    } catch (IllegalStateException e) {
                        throw new ApiException(503, "unavailable", e.getMessage());
                    }
                    return ApiResponse.accepted(job, JOBS + "/" + job.id());
                })
                .add("GET", JOBS + "/{id}", (req, p) -> ApiResponse.ok(jobs.get(p.get("id"))
                        .orElseThrow(() -> notFound(p.get("id")))))
                .add("DELETE", JOBS + "/{id}", (req, p) -> ApiResponse.ok(jobs.cancel(p.get("id"))
                        .orElseThrow(() -> notFound(p.get("id")))));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no job with id \"" + id + "\"");
    }

    record JobList(List<JobView> jobs) {}
}
