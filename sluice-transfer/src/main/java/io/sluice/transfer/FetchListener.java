package io.sluice.transfer;

import io.sluice.transfer.plan.ByteRange;

/** Events of one job, for progress output and tests; every method has a no-op default. Called from worker threads. */
public interface FetchListener {

    FetchListener NONE = new FetchListener() {};

    /** The job knows what it will do: {@code size} bytes (-1: unknown), {@code resumed} of them already on disk. */
    default void started(long size, long resumed, long chunkSize, int workers, boolean parallel) {}

    /** Something the user should know (a corrupt journal discarded, a chunk that failed re-verification, ...). */
    default void notice(String message) {}

    /** A range's bytes are forced to disk and journaled. */
    default void rangeCompleted(ByteRange range) {}

    /** An attempt for {@code range} failed and will be retried after {@code delayNanos}. */
    default void retrying(ByteRange range, int attempt, Throwable cause, long delayNanos) {}
}
