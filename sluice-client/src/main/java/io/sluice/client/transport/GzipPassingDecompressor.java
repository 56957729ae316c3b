package io.sluice.client.transport;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;

/**
 * Netty's decompressor for every content coding but gzip, which it lets through still compressed: {@link Exchange}
 * inflates a gzip body in one call into one array of the size the stream announces ({@link Gzip#decompress}), where
 * the decompressor would build a channel and an {@link java.util.zip.Inflater} per response and hand the aggregator
 * chunks to be copied together once more. gzip is what the SDK asks for and the gateway sends.
 */
final class GzipPassingDecompressor extends HttpContentDecompressor {

    GzipPassingDecompressor() {
        super(0);
    }

    static boolean isGzip(String contentEncoding) {
        String coding = contentEncoding.strip();
        return coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip");
    }

    @Override
    protected EmbeddedChannel newContentDecoder(String contentEncoding) throws Exception {
        return isGzip(contentEncoding) ? null : super.newContentDecoder(contentEncoding);
    }
}
