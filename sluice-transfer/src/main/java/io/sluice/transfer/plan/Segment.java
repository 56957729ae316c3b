package io.sluice.transfer.plan;

/**
 * A range being fetched by one worker; its tail can be stolen.
 *
 * <p>The owner {@linkplain #claim claims} each buffer's bytes before writing them, and a thief
 * {@linkplain #splitTail cuts} the end under the same lock, always at or after the claimed position:
 * the two never write the same byte, and the owner's CRC32C covers exactly {@code [start, end)}.
 */
public final class Segment {

    private final long start;
    private long claimed;
    private long end;

    Segment(ByteRange range) {
        this.start = range.start();
        this.claimed = range.start();
        this.end = range.end();
    }

    public long start() {
        return start;
    }

    public synchronized long end() {
        return end;
    }

    /** The next byte the owner will claim. */
    public synchronized long position() {
        return claimed;
    }

    public synchronized long remaining() {
        return end - claimed;
    }

    /** Claims up to {@code want} bytes at {@link #position()}; returns how many may be written (0: the segment is done). */
    public synchronized int claim(int want) {
        int granted = (int) Math.min(want, end - claimed);
        claimed += granted;
        return granted;
    }

    /** Returns unwritten claimed bytes after a failed attempt so the retry starts at the right place. */
    public synchronized void unclaim(long toPosition) {
        if (toPosition < start || toPosition > claimed) {
            throw new IllegalStateException("unclaim to " + toPosition + " outside [" + start + ", " + claimed + "]");
        }
        claimed = toPosition;
    }

    /** Cuts off the second half of what is left if at least {@code 2 * minPiece} remains; null otherwise. */
    synchronized ByteRange splitTail(long minPiece) {
        long left = end - claimed;
        if (left < 2 * minPiece) {
            return null;
        }
        long mid = claimed + left / 2;
        ByteRange stolen = new ByteRange(mid, end);
        end = mid;
        return stolen;
    }

    public synchronized ByteRange range() {
        return new ByteRange(start, end);
    }

    @Override
    public synchronized String toString() {
        return "Segment[" + start + ", " + claimed + ", " + end + ")";
    }
}
