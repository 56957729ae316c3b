/**
 * Bounded retries: how long to wait ({@link io.sluice.core.retry.Backoff}), when to retry and how much
 * ({@link io.sluice.core.retry.RetryPolicy}, bound from a route's {@code retry:} block), how many retries a
 * route may add to its traffic ({@link io.sluice.core.retry.RetryBudget}), and when a backend asked not to be
 * retried yet ({@link io.sluice.core.retry.RetryAfter}).
 *
 * <p>Modelled on Armeria's {@code client/retry} ({@code Backoff}, {@code RetryRule}), Finagle's
 * {@code RetryBudget} and Envoy's retry budgets. Nothing here touches Netty: the gateway's {@code Exchange}
 * drives these from its event loop.
 */
package io.sluice.core.retry;
