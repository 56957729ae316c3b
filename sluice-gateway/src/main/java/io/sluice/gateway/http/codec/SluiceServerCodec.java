package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The client-facing HTTP/1.1 codec: a drop-in replacement for Netty's {@code HttpServerCodec} that rejects
 * every message a backend could frame differently from us, instead of repairing it.
 *
 * <h2>Why</h2>
 * A proxy and its backend must agree on where each request ends, or an attacker can hide a second request
 * inside the first one (request smuggling, RFC 9112 §11.2). Netty's decoder resolves some ambiguous input
 * itself (it unfolds obs-fold lines, treats HTAB/VT/FF/CR as start-line separators, and can be configured to
 * drop Content-Length next to chunked); a backend may resolve the same bytes differently. So this codec turns
 * on every strictness switch of {@link io.netty.handler.codec.http.HttpDecoderConfig} (but header-map
 * validation, which the scan makes redundant: see {@code StrictFraming.config}) and adds a byte-level
 * scan of each request head ({@code HeadScanner}) that rejects, before Netty parses anything of it:
 * <ul>
 *   <li>both Content-Length and Transfer-Encoding; more than one Content-Length field (even equal ones); a
 *       Content-Length that is not 1*DIGIT or overflows a long;</li>
 *   <li>any Transfer-Encoding other than exactly one field whose value is {@code chunked}
 *       (case-insensitive), and any Transfer-Encoding in an HTTP/1.0 request;</li>
 *   <li>obs-fold, whitespace before the first field, a bare CR or bare LF anywhere in the head, whitespace or
 *       non-token bytes in a field name, NUL and other controls in a field value;</li>
 *   <li>a request line that is not exactly {@code token SP 1*VCHAR SP HTTP/1.(0|1) CRLF}.</li>
 * </ul>
 *
 * <h2>What the next handler sees</h2>
 * The same objects as with {@code HttpServerCodec}: an {@link HttpRequest}, then {@code HttpContent}s, then a
 * {@code LastHttpContent} — except that a request without a body and without {@code Upgrade} arrives as one
 * {@code FullHttpRequest} with an empty body (handlers that look for both an {@code HttpRequest} and a
 * {@code LastHttpContent} see both in it). A rejected head arrives as an {@code HttpRequest} (usually a {@code FullHttpRequest}
 * for {@code GET /bad-request}) whose {@code decoderResult()} is a failure; its cause is an
 * {@link HttpFramingException} for our checks, {@code TooLongHttpLineException} /
 * {@code TooLongHttpHeaderException} for the size limits, or another Netty exception. After any failure the
 * codec discards all further input of the connection.
 *
 * <p><b>Late failures.</b> Chunk framing (chunk-size line, the CRLF after chunk data, trailer section) is
 * checked by Netty while the body streams, i.e. <em>after</em> the {@code HttpRequest} was passed on. Such an
 * error arrives as a {@code LastHttpContent} with an empty buffer and a failed {@code decoderResult()}. Put
 * {@link FramingGuard} right after this codec: it turns early failures into a 400/414/431 and late ones into a
 * {@link FramingGuard.FramingError} event that the proxy must use to abort the upstream exchange.
 *
 * <p>Not checked here: obs-fold and controls inside the chunked <em>trailer</em> section are still handled by
 * Netty alone (it unfolds folding there); trailers never carry framing information, and Netty drops
 * Content-Length, Transfer-Encoding and Trailer from them.
 *
 * <h2>Responses</h2>
 * The encoder half remembers the method of every decoded request, in order, so that the response to a
 * {@code HEAD} is encoded without a body even when it carries Content-Length, and a 2xx to {@code CONNECT}
 * loses its Transfer-Encoding — the same idea as in {@code HttpServerCodec}.
 */
public final class SluiceServerCodec
        extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder>
        implements HttpServerUpgradeHandler.SourceCodec {

    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8192;
    public static final int DEFAULT_MAX_HEADER_SIZE = 16384;
    public static final int DEFAULT_MAX_CHUNK_SIZE = 8192;

    /** Methods of requests decoded but not yet answered, oldest first. */
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /** With the default limits: 8192-byte request line, 16384 bytes of headers, 8192-byte content pieces. */
    public SluiceServerCodec() {
        this(DEFAULT_MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_CHUNK_SIZE);
    }

    /**
     * @param maxInitialLineLength longest request line accepted; longer gives {@code TooLongHttpLineException} (414)
     * @param maxHeaderSize        most bytes of header fields accepted; more gives {@code TooLongHttpHeaderException}
     *                             (431)
     * @param maxChunkSize         largest {@code HttpContent} passed on; bigger bodies and chunks are split
     */
    public SluiceServerCodec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        init(new Decoder(StrictFraming.config(maxInitialLineLength, maxHeaderSize, maxChunkSize)), new Encoder());
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
    }

    private final class Decoder extends HttpRequestDecoder {
        private final StrictFraming framing = new StrictFraming(true);
        // Bound once: a method reference written at the call would be a new object per decode() call.
        private final StrictFraming.Decode nettyDecode = super::decode;
        private final java.util.function.Supplier<io.netty.handler.codec.http.HttpMessage> invalidMessage =
                this::createInvalidMessage;

        Decoder(io.netty.handler.codec.http.HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int oldSize = out.size();
            framing.decode(ctx, buffer, out, nettyDecode, invalidMessage);
            for (int i = oldSize, size = out.size(); i < size; i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    methods.add(request.method());
                    if (i + 1 < size && out.get(i + 1) == LastHttpContent.EMPTY_LAST_CONTENT
                            && request.decoderResult().isSuccess()
                            // HttpServerUpgradeHandler, an aggregator, lets an already whole message pass untouched:
                            // an h2c upgrade request must reach it in parts.
                            && !request.headers().contains(HttpHeaderNames.UPGRADE)) {
                        out.set(i, whole(request));
                        out.remove(i + 1);
                        size--;
                    }
                }
            }
        }

        /**
         * A request without a body (most GETs) as one {@code FullHttpRequest} rather than its head and the shared
         * empty {@code LastHttpContent}: the proxy then handles, and writes upstream, one message instead of two.
         * Same headers object, an empty unreleasable body, no trailers — exactly what the two messages carried.
         */
        private static FullHttpRequest whole(HttpRequest head) {
            FullHttpRequest whole = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                    Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
            whole.setDecoderResult(head.decoderResult());
            return whole;
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (framing.failed()) {
                // Netty's own state machine may still think it is mid-head; it must not report anything more.
                in.skipBytes(in.readableBytes());
                return;
            }
            super.decodeLast(ctx, in, out);
        }
    }

    private final class Encoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // 1xx do not answer the request; the final response still follows.
                return super.isContentAlwaysEmpty(msg);
            }
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // A 2xx to CONNECT starts a tunnel and has no body; Transfer-Encoding would be a lie
                // (RFC 9110 §9.3.6).
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
