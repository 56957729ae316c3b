package io.sluice.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.PickContext;
import io.sluice.core.limit.ConcurrencyLimitException;
import io.sluice.core.limit.ConcurrencyLimiter;
import io.sluice.core.limit.ConcurrencyRejection;
import io.sluice.core.limit.RateLimiter;
import io.sluice.core.limit.netty.ReadGate;
import io.sluice.core.limit.netty.ReadPacer;
import io.sluice.core.pool.PooledConnection;
import io.sluice.gateway.compress.RequestDecompressor;
import io.sluice.gateway.compress.ResponseCompressor;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.sluice.gateway.files.PacedBody;
import io.sluice.gateway.http.codec.LingeringClose;
import io.sluice.gateway.files.StaticFiles;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, from the moment its headers arrive until its last byte is
 * written or it fails. All state is touched only on the client's event loop ({@link #loop()});
 * the upstream handler hops there when the backend connection lives on another loop.
 *
 * <p>Backpressure runs both ways without buffering: the client is read only while the backend
 * connection is writable, and the backend only while the client connection is writable. The
 * backend connection goes back to the pool only after a complete request and a complete
 * keep-alive response; any doubt about its state (timeout, malformed message, early answer)
 * discards it.
 */
final class Exchange implements PickContext {

    private enum State { CONNECTING, STREAMING, DONE }

    private final ProxyHandler frontend;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final HttpRequest request;
    private final String scheme;
    private final boolean http2;
    private final EventLoop loop;
    private final long startNanos = System.nanoTime();
    private final String method;
    private final String uri;
    private final HttpVersion clientVersion;
    private final boolean clientKeepAlive;

    private State state = State.CONNECTING;
    private Route route;
    private Backend backend;
    private PooledConnection upstream;
    private Channel upstreamChannel;
    private UpstreamHandler upstreamHandler;
    private ReadGate upstreamGate;
    private ConcurrencyLimiter.Permit permit;
    /** Decodes a compressed request body (request_decompression); null when the body passes as it is. */
    private RequestDecompressor decompressor;
    private Future<ConcurrencyLimiter.Permit> waitingForSlot;
    /** The throttles this exchange's bodies count against; null when its route limits no bandwidth. */
    private Bandwidth.Connection bandwidth;
    /** The body of a static file being sent under a bandwidth limit, or null. */
    private PacedBody pacedFile;

    private boolean requestComplete;
    /** Whether the request head went to the backend, which then owns it (and any content it carries). */
    private boolean requestForwarded;
    private boolean continueSent;
    private int retries;
    private boolean backendCounted;
    private java.util.List<Backend> tried;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean skippingInterim;
    private boolean upstreamReusable;
    private boolean closeClient;
    private boolean upstreamNeedsFlush;
    private boolean clientNeedsFlush;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private long requestSentNanos;
    private long lastUpstreamReadNanos;
    private long clientBlockedSince;
    private long upstreamBlockedSince;
    /** The body forwarded so far, for a retry or hedge to send again; null until a body object is forwarded. */
    private ReplayBuffer replay;
    private Future<?> perTryTimer;
    private Future<?> hedgeTimer;
    private Hedge hedge;

    Exchange(ProxyHandler frontend, ProxyContext proxy, HttpRequest request, String scheme, boolean http2) {
        this.frontend = frontend;
        this.ctx = frontend.ctx();
        this.proxy = proxy;
        this.request = request;
        this.scheme = scheme;
        this.http2 = http2;
        this.loop = ctx.channel().eventLoop();
        this.method = request.method().name();
        this.uri = request.uri();
        this.clientVersion = request.protocolVersion();
        this.clientKeepAlive = http2 || HttpUtil.isKeepAlive(request);
        this.requestComplete = request instanceof LastHttpContent;
    }

    EventLoop loop() {
        return loop;
    }

    void start() {
        proxy.exchangeStarted();
        ConcurrencyLimiter limiter = proxy.limiter();
        if (!limiter.queues()) {
            // Shed at once instead of queueing: memory stays flat however hard the overload (seed 003).
            permit = limiter.tryAcquire();
            if (permit == null) {
                shed(ConcurrencyRejection.LIMIT);
                return;
            }
            admitted();
            return;
        }
        permit = limiter.tryAcquireNow(); // the common case: a slot is free, no future to allocate
        if (permit != null) {
            admitted();
            return;
        }
        Future<ConcurrencyLimiter.Permit> slot = limiter.acquire(loop);
        if (slot.isDone()) {
            onSlot(slot);
        } else {
            // Waits in the bounded FIFO queue; the request's body stays unread meanwhile (reads pause).
            waitingForSlot = slot;
            slot.addListener(f -> onSlot(slot));
        }
    }

    private void onSlot(Future<ConcurrencyLimiter.Permit> slot) {
        waitingForSlot = null;
        if (!slot.isSuccess()) {
            if (state != State.DONE && slot.cause() instanceof ConcurrencyLimitException refused) {
                shed(refused.reason());
            }
            return;
        }
        if (state == State.DONE) {
            slot.getNow().close(); // the client left while it waited
            return;
        }
        permit = slot.getNow();
        admitted();
    }

    /** 503 with Retry-After: over max_concurrent_streams, with the queue full or waited in for too long. */
    private void shed(ConcurrencyRejection reason) {
        String why = switch (reason) {
            case LIMIT -> proxy.maxConcurrentStreams() + " requests in flight already (server.max_concurrent_streams)";
            case QUEUE_FULL -> proxy.maxConcurrentStreams() + " requests in flight and the wait queue full"
                    + " (server.max_concurrent_streams, server.max_queue)";
            case QUEUE_TIMEOUT -> "no request slot freed within " + proxy.limiter().queueTimeout().toMillis()
                    + "ms (server.max_concurrent_streams, server.queue_timeout)";
        };
        FullHttpResponse busy = ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE,
                "service unavailable: " + why);
        busy.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
        writeLocal(busy);
    }

    /** The request holds a slot: route it. */
    private void admitted() {
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        boolean expectContinue = false;
        if (expect != null && !clientVersion.equals(HttpVersion.HTTP_1_0)) {
            if (!"100-continue".equalsIgnoreCase(expect.trim())) {
                respondLocally(HttpResponseStatus.EXPECTATION_FAILED,
                        "expectation failed: only 100-continue is supported, got \"" + expect + "\"");
                return;
            }
            expectContinue = true;
        }
        if (expect != null) {
            // Sluice answers 100-continue itself once a backend is ready, as nginx does: the backend never sees Expect.
            request.headers().remove(HttpHeaderNames.EXPECT);
        }

        String host = request.headers().get(HttpHeaderNames.HOST);
        route = proxy.routes().match(host, uri);
        if (route == null) {
            respondLocally(HttpResponseStatus.NOT_FOUND,
                    "not found: no route for " + (host == null ? "" : host) + RouteTable.pathOf(uri));
            return;
        }
        if (proxy.compressing()) {
            ctx.channel().attr(ResponseCompressor.POLICY).set(route.compression());
        }
        if (route.rateLimiter() != null && !withinRateLimit(route.rateLimiter())) {
            return;
        }
        if (route.bandwidth() != null) {
            bandwidth = route.bandwidth().forConnection(ctx.channel());
        }
        if (route.files() != null) {
            serveFile();
            return;
        }
        long maxBody = route.config().maxBodySize();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (maxBody > 0 && declared > maxBody) {
            // Refused before a byte of the body is read or forwarded; the connection closes since the body is unread.
            respondLocally(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload too large: the body has " + declared
                    + " bytes, route " + route.name() + " accepts at most " + maxBody + " (max_body_size)");
            return;
        }
        if (route.config().requestDecompression().enabled() && !decompressesBody()) {
            return;
        }
        backend = route.balancer().pick(this);
        if (backend == null) {
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "service unavailable: route " + route.name() + " has no usable backend");
            return;
        }
        route.retryBudget().deposit();
        boolean sendContinue = expectContinue && !requestComplete && !ProxyHandler.hasNoBody(request);
        connect(sendContinue);
    }

    private void connect(boolean sendContinue) {
        backend.requestStarted();
        backendCounted = true;
        Future<PooledConnection> acquired = backend.pool().acquire(loop);
        if (acquired.isDone()) {
            onAcquired(acquired, sendContinue);
        } else {
            acquired.addListener(f -> onAcquired(acquired, sendContinue));
        }
    }

    private void onAcquired(Future<PooledConnection> acquired, boolean sendContinue) {
        if (state == State.DONE) {
            if (acquired.isSuccess()) {
                acquired.getNow().release();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            fail(UpstreamFailure.ofConnect(backend.address(), acquired.cause(), proxy.timeouts().connect()));
            return;
        }
        upstream = acquired.getNow();
        upstreamChannel = upstream.channel();
        upstreamHandler = upstreamChannel.pipeline().get(UpstreamHandler.class);
        upstreamHandler.bind(this);
        upstreamGate = ReadGate.of(upstreamChannel);
        if (bandwidth != null) {
            upstreamHandler.pace(bandwidth.download(), new ReadPacer(upstreamGate, upstreamChannel.eventLoop()));
        }
        state = State.STREAMING;
        if (!upstreamChannel.isActive()) {
            // Closed between the pool's check and now: its close went unseen (no exchange was bound). Nothing was
            // sent, so this is a plain connect-stage failure and safe to retry.
            fail(UpstreamFailure.reset(backend.address()));
            return;
        }
        if (sendContinue && !continueSent) {
            continueSent = true;
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER), ctx.voidPromise());
        }
        if (!requestForwarded) {
            proxy.rewriter().toUpstream(request, frontend.clientIp(), scheme, http2 ? "2" : "1.1", backend.address());
        } else {
            proxy.rewriter().retarget(request, backend.address());
        }
        boolean resend = requestForwarded;
        requestForwarded = true;
        // A full request (HTTP/2 HEADERS with END_STREAM) gives its buffer away on write; keep one for retries.
        upstreamChannel.write(ReferenceCountUtil.retain(request), upstreamChannel.voidPromise());
        if (resend) {
            // A retry: the body forwarded to the failed try goes again (mayRetry checked that all of it was kept).
            writeReplay(upstreamChannel);
        }
        upstreamNeedsFlush = true;
        if (requestComplete) {
            markRequestSent();
        }
        frontend.drain();
    }

    /** Whether the next queued body object can be forwarded now. */
    boolean acceptsRequestBody() {
        return state == State.STREAMING && !requestComplete;
    }

    /** Whether body is still coming but the backend connection cannot take more now. */
    boolean requestBodyBlocked() {
        return acceptsRequestBody() && !upstreamChannel.isWritable();
    }

    /**
     * Sets up request decompression when the body has a Content-Encoding: the backend gets it plain and chunked.
     * False when the request was answered (415 for an encoding this route cannot decode).
     */
    private boolean decompressesBody() {
        String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")
                || ProxyHandler.hasNoBody(request)) {
            return true;
        }
        decompressor = RequestDecompressor.forEncoding(encoding, route.config().requestDecompression().maxSize(),
                ctx.alloc());
        if (decompressor == null) {
            FullHttpResponse unsupported = ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported media type: route " + route.name() + " decodes request bodies in "
                            + RequestDecompressor.SUPPORTED + ", got Content-Encoding \"" + encoding + "\"");
            unsupported.headers().set(HttpHeaderNames.ACCEPT_ENCODING, RequestDecompressor.SUPPORTED);
            writeLocal(unsupported);
            return false;
        }
        request.headers().remove(HttpHeaderNames.CONTENT_ENCODING).remove(HttpHeaderNames.CONTENT_LENGTH);
        HttpUtil.setTransferEncodingChunked(request, true);
        return true;
    }

    /** Decompresses a body chunk on its way to the backend; false when that ended the exchange. */
    private boolean forwardDecompressed(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        try {
            decompressor.decode(content.content(), plain -> {
                HttpContent chunk = new DefaultHttpContent(plain);
                keepForReplay(chunk);
                upstreamChannel.write(chunk, upstreamChannel.voidPromise());
            });
            if (last) {
                decompressor.finish();
                keepForReplay(LastHttpContent.EMPTY_LAST_CONTENT);
                upstreamChannel.write(LastHttpContent.EMPTY_LAST_CONTENT, upstreamChannel.voidPromise());
            }
        } catch (RequestDecompressor.TooLargeException e) {
            long max = route.config().requestDecompression().maxSize();
            releaseUpstream(false); // the backend got part of a body that will never complete
            if (!responseStarted) {
                writeLocal(ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "payload too large: the decompressed body exceeds " + max + " bytes, route " + route.name()
                                + " accepts at most that (request_decompression.max_size)"));
            } else {
                abort();
            }
            return false;
        } catch (RequestDecompressor.MalformedException e) {
            releaseUpstream(false);
            if (!responseStarted) {
                writeLocal(ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                        "bad request: " + e.getMessage()));
            } else {
                abort();
            }
            return false;
        } finally {
            content.release();
        }
        upstreamNeedsFlush = true;
        if (last) {
            requestComplete = true;
            markRequestSent();
        }
        return true;
    }

    void forwardRequestBody(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            abortOnBadRequestBody();
            return;
        }
        bytesIn += content.content().readableBytes();
        long maxBody = route.config().maxBodySize();
        if (maxBody > 0 && bytesIn > maxBody) {
            // A body without (or lying about) its length crossed the limit mid-stream: cut it off.
            ReferenceCountUtil.release(content);
            bodyTooLarge(maxBody);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (bandwidth != null) {
            frontend.uploadPacer().onRead(bandwidth.upload(), content.content().readableBytes());
        }
        if (decompressor != null) {
            forwardDecompressed(content); // keeps the plain chunks for a replay: the head sent says chunked, plain
            return;
        }
        keepForReplay(content);
        upstreamChannel.write(content, upstreamChannel.voidPromise());
        upstreamNeedsFlush = true;
        if (last) {
            requestComplete = true;
            markRequestSent();
        }
    }

    void flushUpstream() {
        if (upstreamNeedsFlush && upstreamChannel != null) {
            upstreamNeedsFlush = false;
            upstreamChannel.flush();
            if (!upstreamChannel.isWritable() && upstreamBlockedSince == 0) {
                upstreamBlockedSince = System.nanoTime();
            }
        }
    }

    private void markRequestSent() {
        requestSentNanos = System.nanoTime();
        lastUpstreamReadNanos = requestSentNanos;
        startPerTryTimer(); // from the end of the request, as Envoy's: a long upload is not a slow backend
        if (retries == 0 && hedge == null && hedgeTimer == null) {
            scheduleHedge();
        }
    }

    private void keepForReplay(HttpContent content) {
        if (keepsReplay()) {
            if (replay == null) {
                replay = new ReplayBuffer(route.config().retry().replayBuffer());
            }
            replay.add(content);
        }
    }

    /** Writes the body forwarded so far once more, for a retry or a hedge. */
    private void writeReplay(Channel channel) {
        if (replay != null) {
            for (HttpContent content : replay.replay()) {
                channel.write(content, channel.voidPromise());
            }
        }
    }

    /** Whether forwarded body objects are kept for a replay: only when a retry or a hedge could send them. */
    private boolean keepsReplay() {
        var policy = route.config().retry();
        return policy.maxRetryAttempts() > 0 || policy.hedge().enabled();
    }

    // ---- backend -> client ----------------------------------------------------------------

    void onUpstreamMessage(Channel from, Object msg) {
        if (from != upstreamChannel) {
            if (hedge != null && from == hedge.channel && msg instanceof HttpResponse && state == State.STREAMING
                    && !responseStarted) {
                promoteHedge(); // the hedge answered first: it becomes the attempt, the first one is cancelled
            } else {
                // A task queued by a connection this exchange has left (a retry moved on, a hedge was cancelled).
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (state != State.STREAMING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastUpstreamReadNanos = System.nanoTime();
        if (!(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            fail(UpstreamFailure.badResponse(backend.address(), object.decoderResult().cause()));
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code < 200) {
                // 1xx: the decoder follows each with an empty last content, which is skipped too.
                ReferenceCountUtil.release(msg);
                if (code == 101) {
                    fail(UpstreamFailure.badResponse(backend.address(), new IllegalStateException("unrequested 101")));
                } else {
                    skippingInterim = true;
                }
                return;
            }
            if (hedge != null) {
                if (hedge.sent() && route.config().retry().retriesOnStatus(code)) {
                    // A retryable answer while the hedge is out: the hedge is that retry already.
                    ReferenceCountUtil.release(msg);
                    route.outliers().recordFailure(backend.address());
                    promoteHedge();
                    return;
                }
                cancelHedge(); // this attempt answered first
            }
            if (retryableStatus(code) && honourRetryAfter(response)) {
                ReferenceCountUtil.release(msg);
                releaseUpstream(false); // its body is unread: the connection cannot be reused
                retry(Integer.toString(code));
                return;
            }
            onResponseHead(response);
            if (!(msg instanceof HttpContent)) {
                ctx.write(response, ctx.voidPromise());
                clientNeedsFlush = true;
                return;
            }
        }
        HttpContent content = (HttpContent) msg;
        if (skippingInterim) {
            skippingInterim = !(content instanceof LastHttpContent);
            content.release();
            return;
        }
        bytesOut += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            responseComplete = true;
            boolean close = closeClient || !requestComplete;
            // A future only when the connection must close after this write; otherwise no promise to allocate.
            ChannelFuture written = close ? ctx.writeAndFlush(content) : ctx.writeAndFlush(content, ctx.voidPromise());
            clientNeedsFlush = false;
            finish(close, close ? written : null);
        } else {
            ctx.write(content, ctx.voidPromise());
            clientNeedsFlush = true;
        }
    }

    private void onResponseHead(HttpResponse response) {
        responseStarted = true;
        cancelPerTryTimer();
        cancelHedgeTimer();
        status = response.status().code();
        long sentAt = requestSentNanos != 0 ? requestSentNanos : startNanos;
        long now = System.nanoTime();
        if (route.latencies() != null) {
            route.latencies().record(now - sentAt);
        }
        proxy.events().upstreamResponded(backend.address(), now - sentAt);
        if (route.tracksLatency()) {
            backend.recordLatency(now - sentAt, now, route.config().balancer().ewmaDecay().toNanos());
        }
        if (status >= 500) {
            route.outliers().recordFailure(backend.address());
        } else {
            route.outliers().recordSuccess(backend.address());
        }
        upstreamReusable = HttpUtil.isKeepAlive(response);
        String receivedVersion = response.protocolVersion().minorVersion() == 0 ? "1.0" : "1.1";
        proxy.rewriter().toDownstream(response, receivedVersion);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (http2) {
            return;
        }
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304;
        // StrictClientCodec lets through no Transfer-Encoding but a single "chunked": presence is enough, no value parse.
        boolean chunked = response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
        boolean hasLength = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean client10 = clientVersion.equals(HttpVersion.HTTP_1_0);
        if (!bodyless && !chunked && !hasLength) {
            // The backend delimits the body by closing; the client gets chunks (or a close, on HTTP/1.0).
            upstreamReusable = false;
            if (client10) {
                closeClient = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (chunked && client10) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            closeClient = true;
        }
        closeClient |= !clientKeepAlive || proxy.draining();
        HttpUtil.setKeepAlive(response.headers(), clientVersion, !closeClient);
    }

    void onUpstreamReadComplete(Channel from) {
        if (clientNeedsFlush && state == State.STREAMING && from == upstreamChannel) {
            clientNeedsFlush = false;
            ctx.flush();
        }
    }

    void onUpstreamWritabilityChanged(Channel from) {
        if (state != State.STREAMING || from != upstreamChannel) {
            return;
        }
        upstreamBlockedSince = upstreamChannel.isWritable() ? 0 : System.nanoTime();
        frontend.drain();
    }

    void onClientWritabilityChanged() {
        if (state != State.STREAMING) {
            return;
        }
        boolean writable = ctx.channel().isWritable();
        long now = System.nanoTime();
        clientBlockedSince = writable ? 0 : now;
        if (writable) {
            // The backend was paused for the client's sake; its silence meanwhile is not its fault.
            lastUpstreamReadNanos = now;
        }
        upstreamGate.set(ReadGate.PEER_BLOCKED, !writable);
    }

    void onUpstreamClosed(Channel from, Throwable cause) {
        if (from != upstreamChannel) {
            if (hedge != null && from == hedge.channel) {
                cancelHedge(); // the hedge failed; the first attempt goes on
            }
            return;
        }
        if (state != State.STREAMING || responseComplete) {
            return;
        }
        fail(cause instanceof io.netty.handler.codec.DecoderException
                ? UpstreamFailure.badResponse(backend.address(), cause)
                : UpstreamFailure.reset(backend.address()));
    }

    /** The client's body was malformed mid-stream: drop the backend connection, write nothing (the guard answers). */
    void onRequestFramingError() {
        if (state == State.DONE) {
            return;
        }
        if (!responseStarted) {
            status = HttpResponseStatus.BAD_REQUEST.code();
        }
        finish(true, null);
    }

    void onClientClosed() {
        if (state == State.DONE) {
            return;
        }
        finish(true, null);
    }

    // ---- deadlines ---------------------------------------------------------------------------

    /**
     * Enforces the read and write deadlines; called by the connection's timer. Returns how long until the
     * next deadline could pass, or 0 when this call ended the exchange.
     */
    long checkDeadlines(long now) {
        long read = proxy.timeouts().read().toNanos();
        long write = proxy.timeouts().write().toNanos();
        if (pacedFile != null && state != State.DONE) {
            long since = pacedFile.writingSince();
            if (since != 0 && now - since >= write) {
                abort(); // the client stopped taking the file
                return 0;
            }
            return since == 0 ? write : write - (now - since);
        }
        if (state != State.STREAMING) {
            return Math.min(read, write);
        }
        long next = Long.MAX_VALUE;
        if (requestSentNanos != 0 && !responseComplete && clientBlockedSince == 0) {
            long idle = now - lastUpstreamReadNanos;
            if (idle >= read) {
                fail(UpstreamFailure.readTimeout(backend.address(), proxy.timeouts().read()));
                return 0;
            }
            next = Math.min(next, read - idle);
        }
        if (clientBlockedSince != 0) {
            long blocked = now - clientBlockedSince;
            if (blocked >= write) {
                // The client stopped reading the response: nothing sensible can be sent to it any more.
                abort();
                return 0;
            }
            next = Math.min(next, write - blocked);
        }
        if (upstreamBlockedSince != 0) {
            long blocked = now - upstreamBlockedSince;
            if (blocked >= write) {
                fail(UpstreamFailure.writeTimeout(backend.address(), proxy.timeouts().write()));
                return 0;
            }
            next = Math.min(next, write - blocked);
        }
        return next == Long.MAX_VALUE ? Math.min(read, write) : next;
    }

    // ---- endings -----------------------------------------------------------------------------

    private void fail(UpstreamFailure failure) {
        failTry(failure, retryCondition(failure.kind()));
    }

    /** Ends the current try; {@code condition} is its retry_on name, or null when it is never retried. */
    private void failTry(UpstreamFailure failure, String condition) {
        if (state == State.DONE) {
            return;
        }
        proxy.events().upstreamError(backend.address(), failure.kind());
        if (failure.kind() != UpstreamFailure.Kind.POOL_TIMEOUT) {
            route.outliers().recordFailure(backend.address()); // our own pool being full says nothing of the backend
        }
        if (hedge != null && hedge.sent() && !responseStarted && state == State.STREAMING) {
            promoteHedge(); // the hedge already out takes over, as a retry would
            return;
        }
        if (condition != null && mayRetry(condition)) {
            releaseUpstream(false);
            retry(condition);
            return;
        }
        if (!responseStarted) {
            releaseUpstream(false);
            FullHttpResponse response = ErrorResponses.plain(ctx.alloc(), failure.status(), failure.reason());
            if (failure.kind() == UpstreamFailure.Kind.POOL_TIMEOUT) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
            }
            writeLocal(response);
        } else {
            abort();
        }
    }

    // ---- retries ----------------------------------------------------------------------------

    private static final java.util.Set<String> IDEMPOTENT =
            java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** The retry_on name of a failure, or null for failures never retried (timeouts, malformed answers, pool waits). */
    private String retryCondition(UpstreamFailure.Kind kind) {
        return switch (kind) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT -> "connect_failure";
            case RESET -> "reset_before_response";
            default -> null;
        };
    }

    private boolean retryableStatus(int status) {
        return route.config().retry().retriesOnStatus(status) && mayRetry(Integer.toString(status));
    }

    /**
     * Whether this exchange may try again: attempts and budget left, no response byte sent to the client, and a
     * request that can be sent again — nothing of it forwarded yet, or all of its body forwarded so far still held
     * in the replay buffer (bodies up to {@code retry.replay_buffer}, any method).
     */
    private boolean mayRetry(String condition) {
        var policy = route.config().retry();
        if (responseStarted || state == State.DONE || retries >= policy.maxRetryAttempts()) {
            return false;
        }
        if (!replayable()) {
            return false;
        }
        boolean wanted = switch (condition) {
            case "per_try_timeout" -> true; // configuring per_try_timeout asks for it
            case "connect_failure", "reset_before_response" -> policy.retriesOn(condition);
            default -> policy.retriesOnStatus(Integer.parseInt(condition));
        };
        if (!wanted) {
            return false;
        }
        if (!route.retryBudget().tryWithdraw()) {
            proxy.events().retryBudgetExhausted(route.name());
            return false;
        }
        return true;
    }

    /**
     * Notes a Retry-After (delta-seconds or HTTP-date) on the backend, so it is not retried before then. False when
     * the wait exceeds the backoff ceiling and no other backend can take the retry: the client then gets the
     * backend's answer, with its Retry-After, rather than a request held for that long.
     */
    private boolean honourRetryAfter(HttpResponse response) {
        String value = response.headers().get(HttpHeaderNames.RETRY_AFTER);
        if (value == null) {
            return true;
        }
        long waitNanos;
        value = value.trim();
        if (value.matches("[0-9]{1,9}")) {
            waitNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(value));
        } else {
            java.util.Date date = io.netty.handler.codec.DateFormatter.parseHttpDate(value);
            if (date == null) {
                return true;
            }
            waitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, date.getTime() - System.currentTimeMillis()));
        }
        long now = System.nanoTime();
        backend.retryNotBefore(now + waitNanos);
        boolean another = route.usable().stream().anyMatch(b -> b != backend && b.retryWaitNanos(now) == 0
                && (tried == null || !tried.contains(b)));
        return another || waitNanos <= route.config().retry().maxBackoff().toNanos();
    }

    /** Whether the request can be sent again: nothing forwarded yet, or everything forwarded still held. */
    private boolean replayable() {
        return !requestForwarded || replay == null || !replay.overflowed();
    }

    /** Tries again on a backend not tried yet when there is one (at once), else on the same one after a backoff. */
    private void retry(String reason) {
        retries++;
        cancelPerTryTimer();
        cancelHedgeTimer();
        cancelHedge();
        proxy.events().retried(route.name(), reason);
        if (tried == null) {
            tried = new java.util.ArrayList<>(2);
        }
        tried.add(backend);
        if (backendCounted) {
            backend.requestFinished();
            backendCounted = false;
        }
        Backend next = backend;
        long now = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            Backend candidate = route.balancer().pick(this);
            if (candidate != null && !tried.contains(candidate) && candidate.retryWaitNanos(now) == 0) {
                next = candidate;
                break;
            }
        }
        long delay = next == backend
                ? Math.max(route.backoff().delayNanos(retries), backend.retryWaitNanos(now))
                : 0;
        backend = next;
        state = State.CONNECTING;
        requestSentNanos = 0;
        Runnable again = () -> {
            if (state == State.CONNECTING) {
                connect(false);
            }
        };
        if (delay == 0) {
            again.run();
        } else {
            loop.schedule(again, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void bodyTooLarge(long maxBody) {
        releaseUpstream(false); // the backend got part of a request that will never complete
        if (!responseStarted) {
            writeLocal(ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "payload too large: route " + route.name() + " accepts at most " + maxBody
                            + " body bytes (max_body_size)"));
        } else {
            abort();
        }
    }

    private void abortOnBadRequestBody() {
        if (!responseStarted) {
            writeLocal(ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                    "bad request: malformed message body"));
        } else {
            abort();
        }
    }

    /** Takes a token; over the limit the client gets 429 with when to come back, and no backend sees the request. */
    private boolean withinRateLimit(RateLimiter limiter) {
        String keySpec = limiter.config().key();
        String key = keySpec.startsWith("header:") ? request.headers().get(keySpec.substring(7)) : null;
        RateLimiter.Decision decision = limiter.tryAcquire(key != null ? key : frontend.clientIp());
        if (decision.allowed()) {
            return true;
        }
        proxy.events().rateLimited(route.name(), decision.scope());
        FullHttpResponse tooMany = ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                "too many requests: route " + route.name() + " allows " + limiter.config().rate() + " per "
                        + limiter.config().per().toMillis() + "ms (" + decision.scope() + " limit); retry in "
                        + decision.retryAfterSeconds() + "s");
        tooMany.headers()
                .set(HttpHeaderNames.RETRY_AFTER, decision.retryAfterSeconds())
                .set("ratelimit-policy", limiter.policyHeader())
                .set("ratelimit", limiter.rateLimitHeader(decision));
        writeLocal(tooMany);
        return false;
    }

    private void serveFile() {
        boolean bodyUnread = !requestComplete && !ProxyHandler.hasNoBody(request);
        boolean close = bodyUnread || !clientKeepAlive || proxy.draining();
        StaticFiles.Served served = route.files().serve(ctx, request, clientVersion, !close, http2,
                bandwidth == null ? null : bandwidth.download());
        status = served.status();
        bytesOut = served.bodyBytes();
        responseStarted = true;
        pacedFile = served.paced();
        if (pacedFile == null) {
            finish(close, served.lastWrite());
        } else {
            // A paced body takes a while: the exchange (and its slot) lasts until it is sent, so a pipelined request
            // waits its turn and the write timeout applies (checkDeadlines).
            pacedFile.done().addListener(f -> finish(close || !f.isSuccess(), served.lastWrite()));
        }
    }

    /** Answers without a backend (no route, no backend, or a failure before any response byte). */
    private void respondLocally(HttpResponseStatus status, String reason) {
        writeLocal(ErrorResponses.plain(ctx.alloc(), status, reason));
    }

    private void writeLocal(FullHttpResponse response) {
        if (proxy.compressing()) {
            ctx.channel().attr(ResponseCompressor.POLICY).set(null);
        }
        status = response.status().code();
        responseStarted = true;
        boolean bodyUnread = !requestComplete && !ProxyHandler.hasNoBody(request);
        boolean close = bodyUnread || !clientKeepAlive || proxy.draining() || state == State.STREAMING && !requestComplete;
        frontend.writeLocalResponse(response, close);
        finish(close, null);
    }

    /** Ends the exchange mid-response: the client connection (or HTTP/2 stream) is reset. */
    private void abort() {
        finish(true, null);
        ctx.close();
    }

    private void finish(boolean closeConnection, ChannelFuture lastWrite) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        // Our own reference: every write took a retained one (retries resend), and a request answered locally or
        // abandoned was never written. An HTTP/2 request ending with its HEADERS is a FullHttpRequest with a buffer.
        ReferenceCountUtil.release(request);
        releaseUpstream(upstreamReusable && requestComplete && responseComplete);
        if (decompressor != null) {
            decompressor.close();
        }
        cancelPerTryTimer();
        cancelHedgeTimer();
        cancelHedge();
        if (replay != null) {
            replay.release();
        }
        if (waitingForSlot != null) {
            waitingForSlot.cancel(false); // gives up its place in the queue
            waitingForSlot = null;
        }
        if (permit != null) {
            permit.close();
            permit = null;
        }
        if (backend != null && backendCounted) {
            backend.requestFinished();
            backendCounted = false;
        }
        proxy.exchangeFinished();
        proxy.events().requestCompleted(new ExchangeRecord(
                frontend.clientIp(), method, uri, http2 ? "HTTP/2" : clientVersion.text(),
                route == null ? "-" : route.name(),
                backend != null ? backend.address() : route != null && route.files() != null ? "static" : "-",
                status, bytesIn, bytesOut, System.nanoTime() - startNanos));
        if (lastWrite != null && closeConnection && !http2) {
            lastWrite.addListener(LingeringClose.AFTER_WRITE); // a static response may leave a request body unread
        }
        frontend.exchangeDone(this, closeConnection);
    }

    private void releaseUpstream(boolean reuse) {
        if (upstream == null) {
            return;
        }
        upstreamHandler.unbind(); // also stops pacing its reads
        if (reuse) {
            upstreamGate.clear();
            upstream.release();
        } else {
            upstream.discard();
        }
        upstream = null;
    }

    // ---- per-try timeout and hedging ----------------------------------------------------------

    /** Arms {@code retry.per_try_timeout} for the try whose request was just sent in full: no head by then, retry. */
    private void startPerTryTimer() {
        var policy = route.config().retry();
        if (!policy.hasPerTryTimeout()) {
            return;
        }
        cancelPerTryTimer();
        int attempt = retries;
        perTryTimer = loop.schedule(() -> {
            perTryTimer = null;
            if (state == State.STREAMING && !responseStarted && attempt == retries) {
                failTry(UpstreamFailure.perTryTimeout(backend.address(), policy.perTryTimeout()), "per_try_timeout");
            }
        }, policy.perTryTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelPerTryTimer() {
        if (perTryTimer != null) {
            perTryTimer.cancel(false);
            perTryTimer = null;
        }
    }

    /** With {@code retry.hedge} on, an idempotent request fully sent gets a second attempt if no answer comes soon. */
    private void scheduleHedge() {
        var config = route.config().retry().hedge();
        if (!config.enabled() || !IDEMPOTENT.contains(method) || !replayable() || route.usable().size() < 2) {
            return;
        }
        long delay = config.p95() && route.latencies() != null
                ? route.latencies().p95Nanos(config.delay().toNanos())
                : config.delay().toNanos();
        hedgeTimer = loop.schedule(this::launchHedge, delay, TimeUnit.NANOSECONDS);
    }

    private void cancelHedgeTimer() {
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
    }

    private void launchHedge() {
        hedgeTimer = null;
        if (state != State.STREAMING || responseStarted || retries > 0 || hedge != null || !replayable()) {
            return;
        }
        Backend other = otherBackend();
        if (other == null) {
            return;
        }
        if (!route.retryBudget().tryWithdraw()) { // hedges are retries as far as the budget is concerned
            proxy.events().retryBudgetExhausted(route.name());
            return;
        }
        proxy.events().hedged(route.name());
        Hedge h = new Hedge(other);
        hedge = h;
        Future<PooledConnection> acquired = other.pool().acquire(loop);
        if (acquired.isDone()) {
            onHedgeAcquired(h, acquired);
        } else {
            acquired.addListener(f -> onHedgeAcquired(h, acquired));
        }
    }

    /** A usable backend other than the current one, preferring the balancer's choice. */
    private Backend otherBackend() {
        long now = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            Backend candidate = route.balancer().pick(this);
            if (candidate != null && candidate != backend && candidate.retryWaitNanos(now) == 0) {
                return candidate;
            }
        }
        for (Backend candidate : route.usable()) {
            if (candidate != backend && candidate.retryWaitNanos(now) == 0) {
                return candidate;
            }
        }
        return null;
    }

    private void onHedgeAcquired(Hedge h, Future<PooledConnection> acquired) {
        if (h != hedge || h.cancelled() || state != State.STREAMING) {
            if (acquired.isSuccess()) {
                acquired.getNow().release(); // nothing was sent on it: still clean
            }
            return;
        }
        if (!acquired.isSuccess()) {
            cancelHedge();
            return;
        }
        h.upstream = acquired.getNow();
        h.channel = h.upstream.channel();
        h.handler = h.channel.pipeline().get(UpstreamHandler.class);
        h.handler.bind(this);
        if (!h.channel.isActive()) {
            cancelHedge();
            return;
        }
        // A copy of the head: the first attempt's may still be encoding on another event loop.
        HttpRequest head = request instanceof io.netty.handler.codec.http.FullHttpRequest full
                ? full.replace(full.content().retainedDuplicate())
                : new io.netty.handler.codec.http.DefaultHttpRequest(request.protocolVersion(), request.method(),
                        request.uri(), request.headers().copy());
        proxy.rewriter().retarget(head, h.backend.address());
        h.channel.write(head, h.channel.voidPromise());
        writeReplay(h.channel);
        h.channel.flush();
        h.sentNanos = System.nanoTime();
    }

    /** The hedge's response head came first (or the first attempt failed): the hedge becomes the attempt. */
    private void promoteHedge() {
        Hedge h = hedge;
        hedge = null;
        cancelPerTryTimer();
        // The first attempt's connection may have a response on its way: it is closed, never pooled.
        releaseUpstream(false);
        if (backendCounted) {
            backend.requestFinished();
        }
        proxy.events().hedgeWon(route.name());
        backend = h.backend;
        upstream = h.upstream;
        upstreamChannel = h.channel;
        upstreamHandler = h.handler;
        backendCounted = true;
        h.handedOver();
        requestSentNanos = h.sentNanos;
        lastUpstreamReadNanos = System.nanoTime();
        upstreamBlockedSince = 0;
        upstreamNeedsFlush = false;
        upstreamReusable = false;
        skippingInterim = false;
        upstreamGate = ReadGate.of(upstreamChannel);
        if (bandwidth != null) {
            upstreamHandler.pace(bandwidth.download(), new ReadPacer(upstreamGate, upstreamChannel.eventLoop()));
        }
        upstreamGate.set(ReadGate.PEER_BLOCKED, !ctx.channel().isWritable());
    }

    private void cancelHedge() {
        if (hedge != null) {
            Hedge h = hedge;
            hedge = null;
            h.cancel();
        }
    }

    // ---- PickContext -------------------------------------------------------------------------

    @Override
    public SocketAddress clientAddress() {
        return frontend.clientAddress();
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }
}
