package io.sluice.transfer.http;

import java.util.Locale;

/** Which HTTP version {@code sluice fetch} speaks ({@code --http}). */
public enum HttpVersionPolicy {
    /** HTTP/2 when TLS ALPN offers {@code h2}, else HTTP/1.1; cleartext URLs use HTTP/1.1. */
    AUTO,
    /** HTTP/1.1 only. */
    HTTP1,
    /** HTTP/2 only: ALPN {@code h2} over TLS, prior knowledge (h2c) over cleartext. */
    HTTP2;

    /** {@code auto}, {@code 1.1} or {@code 2} (also {@code http1}, {@code h2}, {@code h2c}). */
    public static HttpVersionPolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "1.1", "1", "http1", "http/1.1" -> HTTP1;
            case "2", "h2", "h2c", "http2" -> HTTP2;
            default -> throw new IllegalArgumentException("--http: " + text + " (expected: auto, 1.1 or 2)");
        };
    }
}
