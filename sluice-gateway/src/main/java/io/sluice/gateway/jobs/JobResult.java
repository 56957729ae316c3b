package io.sluice.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.transfer.ExportResult;
import io.sluice.transfer.FetchResult;

/**
 * What a finished job did (the CLI's {@code --json} summary).
 *
 * @param path        the file written, or an export's upload URL
 * @param bytesOut    export only: bytes written to the target (after compression)
 * @param compression export only: the compression applied, e.g. {@code gzip:6}
 */
public record JobResult(String path, long size, long resumedBytes, long fetchedBytes, long elapsedMs, int workers,
                        long chunkSize, int retries, String verified,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long bytesOut,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String compression) {

    static JobResult of(FetchResult r) {
        return new JobResult(r.path().toString(), r.size(), r.resumedBytes(), r.bytesFetched(),
                r.elapsedNanos() / 1_000_000, r.workers(), r.chunkSize(), r.retries(), r.verifiedDigest(), null, null);
    }

    static JobResult of(ExportResult r, String target) {
        return new JobResult(target, r.size(), 0, r.size(), r.elapsedNanos() / 1_000_000, r.workers(), r.chunkSize(),
                r.retries(), r.digest(), r.bytesOut(), r.compression());
    }
}
