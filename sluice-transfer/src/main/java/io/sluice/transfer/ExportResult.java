package io.sluice.transfer;

/**
 * What a finished export did.
 *
 * @param size         bytes read from the source
 * @param bytesOut     bytes written to the target (after compression)
 * @param peakBuffered the most bytes the reorder buffer held at once
 * @param digest       the whole-source digest verified on the fly, or null
 */
public record ExportResult(long size, long bytesOut, long elapsedNanos, int workers, long chunkSize, String compression,
                           long peakBuffered, int retries, String protocol, int connections, String digest) {
}
