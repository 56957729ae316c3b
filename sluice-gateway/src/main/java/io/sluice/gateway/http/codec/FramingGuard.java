package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidChunkExtensionException;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Turns decode failures of {@link SluiceServerCodec} into error responses and makes sure no part of a rejected
 * message — nor anything after it on the connection — reaches the proxy. Place it directly after the codec.
 *
 * <h2>Why</h2>
 * Netty reports malformed input as messages with a failed {@code decoderResult()}, which every handler would
 * have to check; one that forgets forwards a smuggled request. This handler is the single place that checks,
 * and it answers the way RFC 9112 asks (400 and close) so the client cannot pipeline anything after an
 * ambiguous message.
 *
 * <h2>Contract for the proxy (handlers after this one)</h2>
 * <ul>
 *   <li>It sees only requests whose head decoded cleanly: an {@link HttpRequest} with a successful
 *       {@code decoderResult()}, then its {@link HttpContent}s, ending with a {@link LastHttpContent}. HTTP/1.1
 *       requests carry exactly one Host field; an {@code Expect} field, if any, is {@code 100-continue}.</li>
 *   <li>When the head of a request is rejected, the proxy sees nothing of it. This handler answers
 *       {@code 400} ({@code 414} for a too long request line, {@code 431} for too large headers, {@code 417}
 *       for an unsupported expectation) with {@code Connection: close} and closes the connection — after the
 *       responses to requests already passed on were written, so pipelining stays in order.</li>
 *   <li>When the body of a request already passed on turns out malformed (bad chunk size, bad chunk
 *       terminator, bad trailer — Netty detects these only while the body streams), the proxy receives the
 *       user event {@link FramingError} <em>instead of</em> the failed content, and no {@code LastHttpContent}
 *       for that request. It must abort the upstream exchange (close that upstream connection; it may have
 *       received part of the body) and must not write a response to the request: this handler sends the 400
 *       if no response to it has started, otherwise it closes the connection.</li>
 *   <li>After a rejection nothing more is read for the proxy; writes that arrive after this handler answered
 *       are released and failed.</li>
 * </ul>
 * Not sharable: it tracks one connection's requests and responses.
 */
public final class FramingGuard extends ChannelDuplexHandler {

    /**
     * Fired down the pipeline when a request already passed on has a malformed body; see the class comment.
     *
     * @param reason a short, client-safe description, e.g. {@code "invalid chunk size"}
     */
    public record FramingError(String reason) {
    }

    private enum State { OPEN, REJECT_PENDING, REJECTED }

    /** HAProxy's default limit is 101 fields; nginx has none beyond its buffer sizes. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    private final int maxHeaderCount;
    private State state = State.OPEN;
    /** Requests passed on whose response has not been completely written. */
    private int unanswered;
    /** A request was passed on and its LastHttpContent not yet. */
    private boolean requestInProgress;
    /** A final response header was written and its LastHttpContent not yet. */
    private boolean responseInProgress;
    private FullHttpResponse pendingRejection;

    public FramingGuard() {
        this(DEFAULT_MAX_HEADER_COUNT);
    }

    /** @param maxHeaderCount header fields a request may carry before it gets 431 */
    public FramingGuard(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state != State.OPEN) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DecoderResult result = ((DecoderResultProvider) msg).decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(msg);
            if (msg instanceof HttpRequest || !requestInProgress) {
                rejectHead(ctx, result.cause());
            } else {
                rejectBody(ctx, result.cause());
            }
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (request.headers().size() > maxHeaderCount) {
                // Many tiny fields fit the byte limit yet cost a backend (and us) per field; HAProxy caps at 101.
                ReferenceCountUtil.release(msg);
                reject(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "too many header fields (more than " + maxHeaderCount + ")");
                return;
            }
            String violation = checkRequest(request);
            if (violation != null) {
                ReferenceCountUtil.release(msg);
                reject(ctx, HttpResponseStatus.BAD_REQUEST, violation);
                return;
            }
            if (!expectationSupported(request)) {
                ReferenceCountUtil.release(msg);
                reject(ctx, HttpResponseStatus.EXPECTATION_FAILED, "expectation not supported");
                return;
            }
            unanswered++;
            requestInProgress = true;
        }
        if (msg instanceof LastHttpContent) {
            requestInProgress = false;
        }
        ctx.fireChannelRead(msg);
    }

    /** Post-decode checks on a head Netty and {@code HeadScanner} accepted; {@code null} when fine. */
    private static String checkRequest(HttpRequest request) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            // RFC 9112 §3.2: exactly one Host in HTTP/1.1; two let us and the backend route differently.
            Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
            if (!hosts.hasNext()) {
                return "missing Host header";
            }
            hosts.next();
            if (hosts.hasNext()) {
                return "multiple Host header fields";
            }
        }
        return null;
    }

    /** RFC 9110 §10.1.1: {@code 100-continue} is the only expectation defined; anything else gets 417. */
    private static boolean expectationSupported(HttpRequest request) {
        if (!request.headers().contains(HttpHeaderNames.EXPECT)) {
            return true; // nearly every request: no list of values to build
        }
        for (String expect : request.headers().getAll(HttpHeaderNames.EXPECT)) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
                return false;
            }
        }
        return true;
    }

    private void rejectHead(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            reject(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            reject(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request header fields too large");
        } else {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, reason(cause));
        }
    }

    private void rejectBody(ChannelHandlerContext ctx, Throwable cause) {
        String reason = reason(cause);
        requestInProgress = false;
        ctx.fireUserEventTriggered(new FramingError(reason));
        if (state != State.OPEN) {
            return; // the proxy reacted by closing or similar
        }
        if (unanswered == 0 || unanswered == 1 && responseInProgress) {
            // Its response was already (partly) written; another response would be unsolicited or corrupt it.
            state = State.REJECTED;
            ctx.close();
            return;
        }
        // The proxy will not answer this request (contract), so it no longer counts as awaiting an answer.
        unanswered--;
        reject(ctx, HttpResponseStatus.BAD_REQUEST, reason);
    }

    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        ByteBuf body = ctx.alloc().buffer().writeBytes(
                (status.code() == 400 ? "bad request: " + reason : reason).concat("\n")
                        .getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (unanswered == 0 && !responseInProgress) {
            sendRejection(ctx, response);
        } else {
            // Responses to earlier pipelined requests are still being written; ours goes after them.
            state = State.REJECT_PENDING;
            pendingRejection = response;
        }
    }

    private void sendRejection(ChannelHandlerContext ctx, FullHttpResponse response) {
        state = State.REJECTED;
        pendingRejection = null;
        LingeringClose.respond(ctx, response); // the client may still be sending
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.REJECTED) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                // Failing a void promise would fire exceptionCaught, and the proxy would close the connection
                // under the rejection still being written; a writer that passed one does not need to know.
                promise.tryFailure(new ClosedChannelException());
            }
            return;
        }
        boolean ends = false;
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            responseInProgress = true;
        }
        if (msg instanceof LastHttpContent && responseInProgress) {
            responseInProgress = false;
            unanswered = Math.max(0, unanswered - 1);
            ends = true;
        }
        ctx.write(msg, promise);
        if (ends && state == State.REJECT_PENDING && unanswered == 0) {
            sendRejection(ctx, pendingRejection);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePending();
        super.channelInactive(ctx);
    }

    private void releasePending() {
        if (pendingRejection != null) {
            pendingRejection.release();
            pendingRejection = null;
        }
    }

    /** A short, printable reason for the response body; never more than the first 100 characters. */
    private static String reason(Throwable cause) {
        if (cause instanceof HttpFramingException) {
            return cause.getMessage();
        }
        if (cause instanceof NumberFormatException) {
            return "invalid chunk size";     // Netty's getChunkSize: non-hex, empty, overflow
        }
        if (cause instanceof InvalidChunkTerminationException) {
            return "invalid chunk terminator";
        }
        if (cause instanceof InvalidChunkExtensionException) {
            return "invalid chunk extension or line ending in chunk size line";
        }
        if (cause instanceof InvalidLineSeparatorException) {
            return "bare LF in message head";
        }
        if (cause instanceof ContentLengthNotAllowedException) {
            return "both Content-Length and Transfer-Encoding present";
        }
        if (cause instanceof TransferEncodingNotAllowedException) {
            return "Transfer-Encoding in an HTTP/1.0 message";
        }
        String message = cause == null ? null : cause.getMessage();
        return message == null ? "malformed message" : sanitize(message);
    }

    private static String sanitize(String message) {
        if (message == null) {
            return "malformed";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), 100));
        for (int i = 0; i < message.length() && sb.length() < 100; i++) {
            char c = message.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
