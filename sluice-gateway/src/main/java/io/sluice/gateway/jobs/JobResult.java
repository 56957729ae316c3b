package io.sluice.gateway.jobs;

import io.sluice.transfer.FetchResult;

/** What a finished fetch did (the CLI's {@code --json} summary). */
public record JobResult(String path, long size, long resumedBytes, long fetchedBytes, long elapsedMs, int workers,
                        long chunkSize, int retries, String verified) {

    static JobResult of(FetchResult r) {
        return new JobResult(r.path().toString(), r.size(), r.resumedBytes(), r.bytesFetched(),
                r.elapsedNanos() / 1_000_000, r.workers(), r.chunkSize(), r.retries(), r.verifiedDigest());
    }
}
