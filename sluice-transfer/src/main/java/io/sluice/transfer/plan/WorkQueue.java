package io.sluice.transfer.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out the missing ranges of a file, a chunk at a time, and steals work when none is left.
 *
 * <p>Design note: the queue holds the <em>missing</em> ranges (the complement of the journal's
 * completed ones), not a fixed list of chunks, so the chunk size can change after the first chunk
 * has been measured and a resumed job can use any chunk size. {@link #next} cuts a piece of at most
 * {@link #chunkSize()} bytes off the front of the first missing range. When nothing is left, an idle
 * worker splits the in-flight segment with the most bytes left (work stealing, as in aria2 and axel:
 * the slowest connection's tail is shared instead of making everyone wait for it).
 */
public final class WorkQueue {

    private final Deque<ByteRange> missing = new ArrayDeque<>();
    private final Set<Segment> inFlight = ConcurrentHashMap.newKeySet();
    private final long minSteal;
    private final boolean stealing;
    private volatile long chunkSize;
    private int steals;

    /**
     * @param missing   ranges still to fetch, in file order
     * @param chunkSize the largest piece handed out by {@link #next}
     * @param minSteal  a segment is split only if both halves would be at least this long; 0 disables stealing
     */
    public WorkQueue(List<ByteRange> missing, long chunkSize, long minSteal) {
        this.missing.addAll(missing);
        this.chunkSize = positive(chunkSize);
        this.minSteal = minSteal;
        this.stealing = minSteal > 0;
    }

    public long chunkSize() {
        return chunkSize;
    }

    /** Changes the size of pieces handed out from now on (after the first chunk was measured). */
    public void chunkSize(long size) {
        this.chunkSize = positive(size);
    }

    /** The next segment to fetch, stolen if need be; null when the job has nothing left to hand out. */
    public synchronized Segment next() {
        ByteRange first = missing.pollFirst();
        if (first != null) {
            if (first.length() > chunkSize) {
                missing.addFirst(new ByteRange(first.start() + chunkSize, first.end()));
                first = new ByteRange(first.start(), first.start() + chunkSize);
            }
            return track(first);
        }
        if (!stealing) {
            return null;
        }
        Segment victim = null;
        long most = 0;
        for (Segment s : inFlight) {
            long left = s.remaining();
            if (left > most) {
                most = left;
                victim = s;
            }
        }
        ByteRange stolen = victim == null ? null : victim.splitTail(minSteal);
        if (stolen == null) {
            return null;
        }
        steals++;
        return track(stolen);
    }

    /** The owner finished (or gave up on) a segment. */
    public void done(Segment segment) {
        inFlight.remove(segment);
    }

    /** Puts a segment's unwritten remainder back, for another worker (a failed attempt that will not be retried here). */
    public synchronized void giveBack(Segment segment) {
        inFlight.remove(segment);
        long from = segment.position();
        long to = segment.end();
        if (to > from) {
            missing.addFirst(new ByteRange(from, to));
        }
    }

    /** True when nothing is missing and nothing is in flight. */
    public synchronized boolean isDrained() {
        return missing.isEmpty() && inFlight.isEmpty();
    }

    public synchronized int steals() {
        return steals;
    }

    /** The segments being fetched now (a snapshot, for progress lines). */
    public List<Segment> inFlight() {
        return new ArrayList<>(inFlight);
    }

    private Segment track(ByteRange range) {
        Segment segment = new Segment(range);
        inFlight.add(segment);
        return segment;
    }

    private static long positive(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size " + size + " (expected: > 0)");
        }
        return size;
    }
}
