package io.sluice.core.limit;

import java.util.Locale;

/** Why a {@link ConcurrencyLimiter} refused a request. */
public enum ConcurrencyRejection {
    /** Every permit was taken and no queue is configured. */
    LIMIT,
    /** Every permit was taken and the queue was full. */
    QUEUE_FULL,
    /** The request waited {@code queue.timeout} without a permit freeing. */
    QUEUE_TIMEOUT;

    /** Lower case, as in metric tags: {@code queue_full}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
