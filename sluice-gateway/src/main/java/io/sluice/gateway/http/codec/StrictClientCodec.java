package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The backend-facing HTTP/1.1 codec: Netty's {@code HttpClientCodec} behaviour with the same strict framing
 * as {@link SluiceServerCodec}, applied to responses.
 *
 * <h2>Why</h2>
 * A backend (or anything between us and it) that answers with ambiguous framing can make us and the client
 * disagree about where a response ends — response splitting / desync of a pooled upstream connection. So
 * every response head is scanned before Netty parses it and rejected for: both Content-Length and
 * Transfer-Encoding, several or malformed Content-Length fields, any Transfer-Encoding other than a single
 * {@code chunked} (no "read until close" fallback for {@code gzip} etc.), Transfer-Encoding in an HTTP/1.0
 * response, obs-fold, bare CR/LF, whitespace before the colon (Netty would silently strip it), controls in
 * values, a status line that is not {@code HTTP/1.(0|1) SP 3DIGIT [SP reason] CRLF}. Netty itself rejects bad
 * chunk framing, on a {@code LastHttpContent} after the {@code HttpResponse} was passed on.
 *
 * <p>{@code HttpClientCodec} is final and its decoder private, so it cannot be subclassed or given another
 * decoder; this class copies its request/response correlation instead: the method of every encoded request
 * is queued, so a response to {@code HEAD} (and 204/304/1xx) has no body whatever its headers say, a 1xx does
 * not consume a queued method, and a 2xx to {@code CONNECT} or a {@code 101} to a non-HTTP/1 protocol turns
 * the decoder into a pass-through of raw {@code ByteBuf}s. Not copied: {@code failOnMissingResponse} and
 * {@code parseHttpAfterConnectRequest}.
 *
 * <h2>Contract for the proxy</h2>
 * Any inbound {@code HttpObject} with {@code decoderResult().isFailure()} means the upstream response cannot be
 * trusted: release it, answer the client {@code 502 Bad Gateway} if its response has not started (otherwise
 * close the client connection), and close this upstream connection — never return it to a pool. The cause is
 * an {@link HttpFramingException} for the checks above, else a Netty exception (e.g.
 * {@code TooLongHttpHeaderException}, {@code NumberFormatException} for a bad chunk size). After a failure the
 * codec discards all further input.
 */
public final class StrictClientCodec
        extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder>
        implements HttpClientUpgradeHandler.SourceCodec {

    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8192;
    public static final int DEFAULT_MAX_HEADER_SIZE = 16384;
    public static final int DEFAULT_MAX_CHUNK_SIZE = 8192;

    /** Methods of requests sent but not yet answered by a final response, oldest first. */
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /** True once the connection became a tunnel: bytes are passed through undecoded. */
    private boolean tunnel;

    /** With the default limits: 8192-byte status line, 16384 bytes of headers, 8192-byte content pieces. */
    public StrictClientCodec() {
        this(DEFAULT_MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_CHUNK_SIZE);
    }

    /**
     * @param maxInitialLineLength longest status line accepted
     * @param maxHeaderSize        most bytes of header fields accepted
     * @param maxChunkSize         largest {@code HttpContent} passed on; bigger bodies and chunks are split
     */
    public StrictClientCodec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        init(new Decoder(StrictFraming.config(maxInitialLineLength, maxHeaderSize, maxChunkSize)), new Encoder());
    }

    @Override
    public void prepareUpgradeFrom(ChannelHandlerContext ctx) {
        ((Encoder) outboundHandler()).upgraded = true;
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
    }

    private final class Encoder extends HttpRequestEncoder {
        boolean upgraded;

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (upgraded) {
                out.add(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class Decoder extends HttpResponseDecoder {
        private final StrictFraming framing = new StrictFraming(false);
        // Bound once: a method reference written at the call would be a new object per decode() call.
        private final StrictFraming.Decode nettyDecode = super::decode;
        private final java.util.function.Supplier<HttpMessage> invalidMessage =
                this::createInvalidMessage;

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (tunnel) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readRetainedSlice(readable));
                }
                return;
            }
            int oldSize = out.size();
            framing.decode(ctx, buffer, out, nettyDecode, invalidMessage);
            for (int i = oldSize, size = out.size(); i < size; i++) {
                if (out.get(i) instanceof HttpResponse response && response.decoderResult().isSuccess()
                        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                        && isSwitchingToNonHttp1Protocol(response)) {
                    // Netty's decoder passes the following bytes through as is; stop scanning them as heads.
                    framing.passThrough();
                }
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (framing.failed()) {
                in.skipBytes(in.readableBytes());
                return;
            }
            super.decodeLast(ctx, in, out);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // Interim responses do not answer the request; its final response is still to come.
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            if (HttpMethod.HEAD.equals(method)) {
                // RFC 9110 §9.3.2: whatever Content-Length or Transfer-Encoding say, no body follows.
                return true;
            }
            if (HttpMethod.CONNECT.equals(method) && response.status().codeClass() == HttpStatusClass.SUCCESS) {
                // RFC 9110 §9.3.6: the connection is a tunnel from the blank line on.
                tunnel = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }
}
