package io.sluice.transfer;

import java.nio.file.Path;

/**
 * What a successful job did.
 *
 * @param bytesFetched bytes received in this run (more than {@code size - resumedBytes} when retries refetched some)
 * @param verifiedDigest the whole-file digest that was checked, as {@code sha256:HEX}, or null
 * @param protocol       {@code h2} or {@code http/1.1}
 * @param connections    TCP connections opened for the job (with h2, streams share them)
 */
public record FetchResult(Path path, long size, long resumedBytes, long bytesFetched, long elapsedNanos,
                          long chunkSize, int workers, boolean parallel, int retries, int steals,
                          String verifiedDigest, String protocol, int connections) {
}
