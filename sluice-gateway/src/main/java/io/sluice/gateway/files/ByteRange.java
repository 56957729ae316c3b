package io.sluice.gateway.files;

/**
 * One satisfiable byte range of a representation of {@code size} bytes (RFC 9110 §14.1.2), or the verdict that the
 * Range header is to be ignored or unsatisfiable.
 */
record ByteRange(long start, long endInclusive) {

    static final ByteRange IGNORE = new ByteRange(-1, -1);
    static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    long length() {
        return endInclusive - start + 1;
    }

    /**
     * Parses a Range header for a file of {@code size} bytes. Several ranges, other units or bad syntax are ignored
     * (a server may always answer with the whole representation); a syntactically valid range that starts past the
     * end is unsatisfiable.
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return IGNORE;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return IGNORE;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return IGNORE;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return IGNORE;
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return IGNORE;
        }
    }
}
