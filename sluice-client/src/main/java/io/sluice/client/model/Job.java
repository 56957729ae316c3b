package io.sluice.client.model;

/**
 * A transfer job and its progress. Times are RFC 3339 strings as the server sends them.
 *
 * @param state   {@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}
 * @param type    {@code fetch} or {@code export}
 * @param resumed whether this run was started again after a daemon restart (a fetch resumes from its journal, an
 *                export starts from byte 0)
 * @param result  set once succeeded
 * @param error   set once failed
 */
public record Job(String id, String type, String state, JobSpec spec, String createdAt, String startedAt,
                  String finishedAt, Boolean resumed, Progress progress, Result result, String error) {

    public boolean finished() {
        return "succeeded".equals(state) || "failed".equals(state) || "cancelled".equals(state);
    }

    /** @param size total bytes, -1 while unknown; @param done bytes on disk and journalled */
    public record Progress(long size, long done, Double fraction, Double bytesPerSecond) {}

    /**
     * @param path        the file written, or an export's upload URL
     * @param bytesOut    export: bytes written to the target, after compression (null for a fetch)
     * @param compression export: e.g. {@code gzip:6} (null for a fetch)
     */
    public record Result(String path, Long size, Long resumedBytes, Long fetchedBytes, Long elapsedMs, Integer workers,
                         Long chunkSize, Integer retries, String verified, Long bytesOut, String compression) {}
}
