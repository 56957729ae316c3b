package io.sluice.core.config;

/**
 * Request decompression for a route ({@code routes[i].request_decompression:}; seed 000's API routes): a body sent
 * with {@code Content-Encoding: gzip}, {@code deflate} or {@code zstd} is decompressed as it streams, and the
 * backend gets it plain (chunked, without Content-Encoding).
 *
 * @param enabled decompress (default false: bodies pass as they are, whatever their encoding)
 * @param maxSize largest decompressed body, bytes; beyond it the client gets 413 (default 10 MB), so a small
 *                compressed "zip bomb" cannot expand without limit
 */
public record RequestDecompressionConfig(boolean enabled, long maxSize) {

    public static final long DEFAULT_MAX_SIZE = 10_000_000;

    public static final RequestDecompressionConfig OFF = new RequestDecompressionConfig(false, DEFAULT_MAX_SIZE);
}
