package io.sluice.client.model;

import java.util.List;

/** {@code GET /api/v1/jobs}: every job, newest last. */
public record JobList(List<Job> jobs) {

    public JobList {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}
