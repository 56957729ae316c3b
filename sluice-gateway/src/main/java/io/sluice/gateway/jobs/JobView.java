package io.sluice.gateway.jobs;

/**
 * A job as the control API reports it and the state directory stores it.
 *
 * @param progress null in the stored form (progress lives in the fetch journal)
 */
public record JobView(String id, String type, String state, JobSpec spec, String createdAt, String startedAt,
                      String finishedAt, boolean resumed, Progress progress, JobResult result, String error) {

    /** Bytes done of size (-1 while unknown), their fraction, and the average rate of this run. */
    public record Progress(long size, long done, double fraction, double bytesPerSecond) {}
}
