package io.sluice.transfer.plan;

/** The half-open byte range {@code [start, end)} of the remote file. */
public record ByteRange(long start, long end) {

    public ByteRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("byte range [" + start + ", " + end + ") (expected: 0 <= start <= end)");
        }
    }

    public long length() {
        return end - start;
    }

    /** The {@code Range} header value: inclusive last byte. */
    public String header() {
        return "bytes=" + start + "-" + (end - 1);
    }

    @Override
    public String toString() {
        return "bytes " + start + "-" + (end - 1);
    }
}
