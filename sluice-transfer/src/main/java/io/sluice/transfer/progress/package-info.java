/** Progress output for {@code sluice fetch}: a live terminal line or periodic plain lines. */
package io.sluice.transfer.progress;
