package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the strict request and response decoders share: the Netty configuration with every strictness switch
 * on, and the wrapper around {@code HttpObjectDecoder.decode} that runs {@link HeadScanner} over each head
 * before Netty parses it.
 *
 * <p>A composition rather than a common superclass because the two decoders must extend different Netty
 * classes ({@code HttpRequestDecoder}, {@code HttpResponseDecoder}).
 */
final class StrictFraming {

    /** {@code HttpObjectDecoder.decode}, reached through {@code super::decode} of the owning decoder. */
    @FunctionalInterface
    interface Decode {
        void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception;
    }

    private final HeadScanner scanner;
    private boolean failed;
    private boolean passThrough;

    StrictFraming(boolean request) {
        scanner = new HeadScanner(request);
    }

    /**
     * Netty's own checks, all switched to their strictest: CRLF-only line endings, header name/value
     * validation, no duplicate Content-Length, RFC 9112 Transfer-Encoding rules (TE + CL rejected, TE in
     * HTTP/1.0 rejected, final coding must be chunked).
     */
    static HttpDecoderConfig config(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize)
                .setChunkedSupported(true)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    /** After a failure every further byte is discarded; the connection must be closed. */
    boolean failed() {
        return failed;
    }

    /** Stop validating: the connection switched protocols (101, CONNECT tunnel) and carries opaque bytes. */
    void passThrough() {
        passThrough = true;
    }

    void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, Decode netty,
            Supplier<HttpMessage> invalidMessage) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (passThrough) {
            netty.decode(ctx, in, out);
            return;
        }
        if (scanner.inHead()) {
            // Every byte of a head is scanned before Netty may parse it, so nothing of a rejected message
            // has been emitted yet when we reject it.
            String reason = scanner.scan(in);
            if (reason != null) {
                failed = true;
                in.skipBytes(in.readableBytes());
                HttpMessage invalid = invalidMessage.get();
                invalid.setDecoderResult(DecoderResult.failure(new HttpFramingException(reason)));
                out.add(invalid);
                return;
            }
        }
        int readerIndex = in.readerIndex();
        int oldSize = out.size();
        netty.decode(ctx, in, out);
        scanner.consumed(in.readerIndex() - readerIndex);
        for (int i = oldSize, size = out.size(); i < size; i++) {
            Object msg = out.get(i);
            if (msg instanceof DecoderResultProvider provider && provider.decoderResult().isFailure()) {
                // Netty is now in its BAD_MESSAGE state and discards input; so do we.
                failed = true;
            } else if (msg instanceof LastHttpContent) {
                // HttpObjectDecoder ends at most one message per decode() call and returns right after, so
                // the next unread byte is the first byte of the next head.
                scanner.nextMessage();
            }
        }
    }
}
