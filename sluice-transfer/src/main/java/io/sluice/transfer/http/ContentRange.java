package io.sluice.transfer.http;

import io.sluice.transfer.plan.ByteRange;

/** A parsed {@code Content-Range: bytes first-last/total} of a 206 response. */
public record ContentRange(long first, long last, long total) {

    /** Parses the header; null when it is absent or not of the form {@code bytes a-b/n} (n may not be {@code *}). */
    public static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        int dash = h.indexOf('-', 6);
        int slash = h.indexOf('/', 6);
        if (dash < 0 || slash < dash) {
            return null;
        }
        try {
            long first = Long.parseLong(h.substring(6, dash).trim());
            long last = Long.parseLong(h.substring(dash + 1, slash).trim());
            long total = Long.parseLong(h.substring(slash + 1).trim());
            return first <= last && last < total ? new ContentRange(first, last, total) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True when this is exactly the requested range of a file of {@code size} bytes. */
    public boolean matches(ByteRange requested, long size) {
        return first == requested.start() && last == requested.end() - 1 && total == size;
    }

    @Override
    public String toString() {
        return "bytes " + first + "-" + last + "/" + total;
    }
}
