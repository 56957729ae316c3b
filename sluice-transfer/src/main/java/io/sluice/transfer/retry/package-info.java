/**
 * Retry pacing for chunk requests: {@link io.sluice.transfer.retry.RetryBackoff} and its full-jitter
 * implementation. A stand-in until {@code io.sluice.core.retry} is available.
 */
package io.sluice.transfer.retry;
