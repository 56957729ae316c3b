package io.sluice.transfer;

import java.util.List;

/**
 * A snapshot of a running job, for progress lines.
 *
 * @param size    total bytes, -1 when unknown
 * @param done    bytes on disk (resumed plus fetched in this run)
 * @param workers what each busy worker is doing
 */
public record Progress(long size, long done, List<Activity> workers) {

    /** One worker's current range {@code [start, end)} and how far it got. */
    public record Activity(long start, long position, long end) {}

    public static final Progress NOT_STARTED = new Progress(-1, 0, List.of());
}
