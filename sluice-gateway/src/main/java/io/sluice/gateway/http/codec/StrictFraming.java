package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
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
     * Netty's own checks, all switched to their strictest: CRLF-only line endings, no duplicate Content-Length,
     * RFC 9112 Transfer-Encoding rules (TE + CL rejected, TE in HTTP/1.0 rejected, final coding must be chunked).
     *
     * <p>Field names and values of a head are <em>not</em> validated again by the header map: {@link HeadScanner}
     * has already rejected every head whose names are not tokens or whose values hold controls, on the raw bytes
     * and before Netty parsed them, which is stricter than Netty's validators (they see values only after the
     * decoder trimmed them). Validating twice cost ~5 % of the proxy's CPU per request, in a validator call per
     * field added by the decoder and per field the proxy sets. Trailers, which the scanner does not see, keep
     * Netty's trailer validation; and since nearly every message has none, their map starts small instead of at
     * sixteen buckets (the decoder makes one per message with a body, trailers or not).
     */
    static HttpDecoderConfig config(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize)
                .setChunkedSupported(true)
                .setHeadersFactory(SCANNED_HEADS)
                .setTrailersFactory(SMALL_TRAILERS)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    /** Header maps for heads {@link HeadScanner} has validated byte by byte. */
    private static final HttpHeadersFactory SCANNED_HEADS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** Netty's validating trailer maps, sized for the usual zero or few trailer fields. */
    private static final HttpHeadersFactory SMALL_TRAILERS = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        }
    };

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
