package io.sluice.gateway.upstream;

/**
 * Parser limits shared by the downstream and upstream HTTP/1.1 codecs.
 *
 * @param maxInitialLineLength request or status line, bytes
 * @param maxHeaderSize        the whole header block, bytes
 * @param maxChunkSize         largest body piece handed on at once; the server's {@code buffer_size}
 */
public record HttpCodecLimits(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {

    public static HttpCodecLimits defaults(int bufferSize) {
        return new HttpCodecLimits(8192, 16384, bufferSize);
    }
}
