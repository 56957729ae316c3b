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

    /** An upstream exchange failed; {@code kind} is one of {@link UpstreamFailure.Kind}'s names. */
    default void upstreamError(String backend, UpstreamFailure.Kind kind) {}

    /**
     * A failed try is being retried. {@code backend} is the one that failed; {@code reason} is a
     * {@code retry_on} name ({@code connect_failure}, {@code reset_before_response}), {@code per_try_timeout},
     * or {@code status_<code>}.
     */
    default void retried(String route, String backend, String reason) {}

    /** A retry was due but the route's retry budget was spent, so the failure went to the client. */
    default void retryBudgetExhausted(String route) {}
}
