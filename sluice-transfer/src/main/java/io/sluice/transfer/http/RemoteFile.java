package io.sluice.transfer.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;

/**
 * What a {@code HEAD} (or a full {@code GET}) said about the file.
 *
 * @param uri          where it lives (after redirects)
 * @param size         its length, or -1 when unknown
 * @param acceptRanges the server advertised {@code Accept-Ranges: bytes}
 * @param etag         the ETag, weak or strong, or null
 * @param lastModified the Last-Modified, or null
 * @param reprDigest   the RFC 9530 {@code Repr-Digest}, or null
 */
public record RemoteFile(URI uri, long size, boolean acceptRanges, String etag, String lastModified, String reprDigest) {

    public static RemoteFile of(URI uri, HttpHeaders headers) {
        long size = -1;
        String cl = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (cl != null) {
            try {
                size = Long.parseLong(cl.trim());
            } catch (NumberFormatException ignored) {
                size = -1;
            }
        }
        String ranges = headers.get(HttpHeaderNames.ACCEPT_RANGES);
        boolean acceptRanges = ranges != null && ranges.toLowerCase(java.util.Locale.ROOT).contains("bytes");
        return new RemoteFile(uri, size, acceptRanges, headers.get(HttpHeaderNames.ETAG),
                headers.get(HttpHeaderNames.LAST_MODIFIED), headers.get("Repr-Digest"));
    }

    /** The ETag if it is strong (weak ones never go into If-Range: RFC 9110 §13.1.5), else null. */
    public String strongEtag() {
        return etag != null && !etag.startsWith("W/") ? etag : null;
    }

    /** The validator for {@code If-Range}: a strong ETag, else Last-Modified, else null. */
    public String validator() {
        String strong = strongEtag();
        return strong != null ? strong : lastModified;
    }
}
