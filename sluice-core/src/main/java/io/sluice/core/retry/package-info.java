/**
 * Bounded retries (issue 4; seeds 002, 003), after Armeria's {@code Backoff} and Finagle's retry budget.
 * {@link io.sluice.core.retry.Backoff} computes exponential delays with full jitter;
 * {@link io.sluice.core.retry.RetryBudget} caps retries to a share of live traffic so a failing backend cannot
 * start a retry storm.
 */
package io.sluice.core.retry;
