package io.sluice.core.limit;

/** A request refused by a {@link ConcurrencyLimiter}; the message names the limiter's state. Stackless. */
public final class ConcurrencyLimitException extends RuntimeException {

    private final ConcurrencyRejection reason;

    ConcurrencyLimitException(ConcurrencyRejection reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ConcurrencyRejection reason() {
        return reason;
    }
}
