package io.sluice.gateway.proxy;

/**
 * What the proxy reports as it works: metrics and the access log hang off this. Every method
 * defaults to nothing and is called on an event loop, so implementations must not block.
 */
public interface ProxyEvents {

    ProxyEvents NONE = new ProxyEvents() {};

    default void downstreamConnectionOpened() {}

    default void downstreamConnectionClosed() {}

    /** A request finished: answered, failed, or abandoned by the client. */
    default void requestCompleted(ExchangeRecord record) {}

    /** Response headers arrived from a backend this long after the request was sent. */
    default void upstreamResponded(String backend, long nanos) {}

    /** A request was refused by a route's rate limit ({@code scope}: global or client). */
    default void rateLimited(String route, String scope) {}

    /**
     * A request was refused before routing: {@code concurrency} (over max_concurrent_streams, no queue),
     * {@code queue_full} (the wait queue was full too) or {@code queue_timeout} (it waited queue_timeout in vain).
     */
    default void requestRejected(String reason) {}

    /** A request waited this long in the concurrency queue before it got its slot. */
    default void queueWaited(long nanos) {}

    /** An attempt failed and is tried again ({@code reason}: connect_failure, reset_before_response, a status). */
    default void retried(String route, String reason) {}

    /** A hedge (a second, racing attempt of an idempotent request) was sent. */
    default void hedged(String route) {}

    /** A hedge's response came first and was used; the first attempt was cancelled. */
    default void hedgeWon(String route) {}

    /** A retry was wanted but the route's retry budget was spent. */
    default void retryBudgetExhausted(String route) {}

    /** An upstream exchange failed; {@code kind} is one of {@link UpstreamFailure.Kind}'s names. */
    default void upstreamError(String backend, UpstreamFailure.Kind kind) {}
}
