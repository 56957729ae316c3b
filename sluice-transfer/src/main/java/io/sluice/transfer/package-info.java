/**
 * The transfer engine behind {@code sluice fetch}: parallel, chunked, resumable, verified HTTP
 * downloads in constant memory.
 *
 * <p>Start with {@link io.sluice.transfer.FetchOptions#builder} and
 * {@link io.sluice.transfer.FetchJob#create}; {@code run()} returns a {@link io.sluice.transfer.FetchResult}
 * or throws a {@link io.sluice.transfer.FetchException} naming the cause. Sub-packages: {@code plan}
 * (work queue, stealing, chunk size), {@code journal} (resume state), {@code http} (ranged client),
 * {@code verify} (CRC32C and digests), {@code export} (ordered, compressed streams). From the core: bandwidth
 * limits are {@code io.sluice.core.limit.BandwidthThrottle}, retry pacing {@code io.sluice.core.retry.Backoff},
 * {@code progress}. Design: docs/TRANSFER.md.
 */
package io.sluice.transfer;
