package io.sluice.transfer.http;

import java.io.IOException;

/**
 * A failure worth retrying: a reset or closed connection, a short body, a wrong {@code Content-Range},
 * a read timeout, or 408/429/5xx. {@link #retryAfterNanos()} is the server's {@code Retry-After}, or -1.
 */
public final class TransientException extends IOException {

    private final long retryAfterNanos;

    public TransientException(String message) {
        this(message, -1, null);
    }

    public TransientException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    public TransientException(String message, long retryAfterNanos, Throwable cause) {
        super(message, cause);
        this.retryAfterNanos = retryAfterNanos;
    }

    public long retryAfterNanos() {
        return retryAfterNanos;
    }
}
