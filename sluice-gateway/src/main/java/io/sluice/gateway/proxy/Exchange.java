package io.sluice.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
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
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.PickContext;
import io.sluice.core.pool.PooledConnection;
import io.sluice.core.retry.RetryPolicy;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p><b>Retries</b> ({@code routes[i].retry}): a try that fails before any response byte reached the client
 * (connect failure, a connection closed before the response, a per-try timeout, a configured status) is sent
 * again, to another backend when the route has one, after a full-jitter backoff scheduled on this loop, never
 * before a backend's Retry-After, within the route's retry budget and the overall read deadline. Only a request
 * that can be sent again exactly is retried: nothing of it reached a backend yet, or its whole body so far is
 * held by the {@link ReplayBuffer}. A try's connection is discarded unless it ended at a clean boundary.
 */
final class Exchange implements PickContext {

    /** CONNECTING: borrowing a connection, or waiting to retry. STREAMING: a try owns a connection. */
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

    private boolean requestComplete;
    /** Whether the request head went to the backend, which then owns it (and any content it carries). */
    private boolean requestForwarded;
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

    // ---- retries ----
    private RetryPolicy retryPolicy = RetryPolicy.NONE;
    /** The request body sent so far, for replay; null when the request is never retried. */
    private ReplayBuffer replay;
    /** The request headers as received, before rewriting; each retry rewrites a copy for its backend. */
    private HttpHeaders originalHeaders;
    /** Whether a request head went to any backend (which may then have acted on it). */
    private boolean headSent;
    private boolean sendContinue;
    private boolean backendCounted;
    private int attempts;
    private final List<Backend> tried = new ArrayList<>(2);
    private Backend retryTarget;
    private long retryDelayNanos;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> perTryTimer;

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
        // Sluice answers 100-continue itself once a backend is ready, as nginx does: the backend never sees Expect.
        request.headers().remove(HttpHeaderNames.EXPECT);

        String host = request.headers().get(HttpHeaderNames.HOST);
        route = proxy.routes().match(host, uri);
        if (route == null) {
            respondLocally(HttpResponseStatus.NOT_FOUND,
                    "not found: no route for " + (host == null ? "" : host) + RouteTable.pathOf(uri));
            return;
        }
        Backend first = route.balancer().pick(this);
        if (first == null) {
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "service unavailable: route " + route.name() + " has no usable backend");
            return;
        }
        prepareRetries();
        sendContinue = expectContinue && !requestComplete && !ProxyHandler.hasNoBody(request);
        attempt(first);
    }

    /** Decides whether this request may ever be retried and, if so, keeps what a retry needs. */
    private void prepareRetries() {
        RetryPolicy policy = route.config().retry();
        route.retryBudget().deposit();
        if (policy.maxRetries() == 0) {
            return;
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        boolean tooLarge = declared > policy.replayBufferSize();
        if (tooLarge && !isIdempotent(request.method())) {
            return; // its body cannot be kept, and sending it twice is not safe
        }
        retryPolicy = policy;
        replay = new ReplayBuffer(policy.replayBufferSize());
        if (tooLarge) {
            replay.overflow(); // still retryable on failures before anything reached a backend
        }
        originalHeaders = request.headers().copy();
    }

    static boolean isIdempotent(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
                || method.equals(HttpMethod.TRACE) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.DELETE);
    }

    /** One try: borrow a connection to {@code target}; the rest happens in {@link #onAcquired}. */
    private void attempt(Backend target) {
        backend = target;
        tried.add(target);
        int attempt = ++attempts;
        state = State.CONNECTING;
        target.requestStarted();
        backendCounted = true;
        retryPolicy.perTryTimeout().ifPresent(t -> perTryTimer =
                loop.schedule(() -> onPerTryTimeout(attempt), t.toNanos(), TimeUnit.NANOSECONDS));
        Future<PooledConnection> acquired = target.pool().acquire(loop);
        if (acquired.isDone()) {
            onAcquired(acquired, attempt);
        } else {
            acquired.addListener(f -> onAcquired(acquired, attempt));
        }
    }

    private void onAcquired(Future<PooledConnection> acquired, int attempt) {
        if (state == State.DONE || attempt != attempts) {
            // Ended, or this try was given up (per-try timeout) while it waited for a connection.
            if (acquired.isSuccess()) {
                acquired.getNow().release();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            UpstreamFailure failure =
                    UpstreamFailure.ofConnect(backend.address(), acquired.cause(), proxy.timeouts().connect());
            if (planRetry(retryPolicy.retries(RetryPolicy.Condition.CONNECT_FAILURE))) {
                retry(RetryPolicy.Condition.CONNECT_FAILURE.key(), failure.kind(), false);
            } else {
                fail(failure);
            }
            return;
        }
        upstream = acquired.getNow();
        upstreamChannel = upstream.channel();
        upstreamHandler = upstreamChannel.pipeline().get(UpstreamHandler.class);
        upstreamHandler.bind(this);
        state = State.STREAMING;
        if (!upstreamChannel.isActive()) {
            // It closed after the pool checked it but before the bind, so its handler told no one.
            onUpstreamClosed(upstreamChannel, null);
            return;
        }
        if (sendContinue) {
            sendContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER), ctx.voidPromise());
        }
        HttpRequest head;
        List<HttpContent> body = List.of();
        if (!requestForwarded) {
            head = request;
            requestForwarded = true;
            if (replay != null && request instanceof HttpContent content) {
                replay.add(content); // an h2 request that ended with its HEADERS carries its whole body
            }
        } else {
            // A retry after the original went to another backend: the same request, rewritten afresh.
            head = new DefaultHttpRequest(clientVersion, request.method(), uri, originalHeaders.copy());
            body = replay.replay();
        }
        proxy.rewriter().toUpstream(head, frontend.clientIp(), scheme, http2 ? "2" : "1.1", backend.address());
        headSent = true;
        upstreamChannel.write(head, upstreamChannel.voidPromise());
        for (HttpContent content : body) {
            upstreamChannel.write(content, upstreamChannel.voidPromise());
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

    void forwardRequestBody(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            abortOnBadRequestBody();
            return;
        }
        bytesIn += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (replay != null) {
            replay.add(content);
        }
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
    }

    // ---- backend -> client ----------------------------------------------------------------

    void onUpstreamMessage(Channel from, Object msg) {
        if (state != State.STREAMING || from != upstreamChannel) {
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
            if (code == 429 || code == 503) {
                String retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
                if (retryAfter != null) {
                    proxy.retryAfter().record(backend.address(), retryAfter);
                }
            }
            if (planRetry(retryPolicy.retriesStatus(code))) {
                // Nothing of it reached the client: drop it, and its connection unless it ended cleanly here.
                boolean clean = msg instanceof LastHttpContent && requestComplete && HttpUtil.isKeepAlive(response);
                ReferenceCountUtil.release(msg);
                retry("status_" + code, null, clean);
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
            ChannelFuture written = ctx.writeAndFlush(content);
            clientNeedsFlush = false;
            finish(closeClient || !requestComplete, written);
        } else {
            ctx.write(content, ctx.voidPromise());
            clientNeedsFlush = true;
        }
    }

    private void onResponseHead(HttpResponse response) {
        responseStarted = true;
        cancelPerTryTimer();
        status = response.status().code();
        long sentAt = requestSentNanos != 0 ? requestSentNanos : startNanos;
        proxy.events().upstreamResponded(backend.address(), System.nanoTime() - sentAt);
        upstreamReusable = HttpUtil.isKeepAlive(response);
        String receivedVersion = response.protocolVersion().minorVersion() == 0 ? "1.0" : "1.1";
        proxy.rewriter().toDownstream(response, receivedVersion);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (http2) {
            return;
        }
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
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
        upstreamChannel.config().setAutoRead(writable);
    }

    void onUpstreamClosed(Channel from, Throwable cause) {
        if (state != State.STREAMING || responseComplete || from != upstreamChannel) {
            return;
        }
        if (cause instanceof io.netty.handler.codec.DecoderException) {
            fail(UpstreamFailure.badResponse(backend.address(), cause));
            return;
        }
        UpstreamFailure failure = UpstreamFailure.reset(backend.address());
        if (planRetry(retryPolicy.retries(RetryPolicy.Condition.RESET_BEFORE_RESPONSE))) {
            retry(RetryPolicy.Condition.RESET_BEFORE_RESPONSE.key(), failure.kind(), false);
        } else {
            fail(failure);
        }
    }

    private void onPerTryTimeout(int attempt) {
        perTryTimer = null;
        if (state == State.DONE || attempt != attempts || responseStarted) {
            return;
        }
        UpstreamFailure failure =
                UpstreamFailure.perTryTimeout(backend.address(), retryPolicy.perTryTimeout().orElseThrow());
        if (planRetry(true)) {
            retry("per_try_timeout", failure.kind(), false);
        } else {
            fail(failure);
        }
    }

    // ---- retries -----------------------------------------------------------------------------

    /**
     * Whether the failed try may be retried now, and if so where and after what delay ({@link #retryTarget},
     * {@link #retryDelayNanos}). Takes a retry from the route's budget when it says yes.
     */
    private boolean planRetry(boolean conditionRetried) {
        if (!conditionRetried || state == State.DONE || responseStarted || attempts > retryPolicy.maxRetries()
                || replay == null || headSent && replay.overflowed()) {
            return false;
        }
        Backend next = nextBackend();
        if (next == null) {
            return false;
        }
        long now = System.nanoTime();
        long delay = Math.max(retryPolicy.backoff().nextDelayNanos(attempts),
                proxy.retryAfter().remainingNanos(next.address()));
        if (now + delay - (startNanos + proxy.timeouts().read().toNanos()) >= 0) {
            return false; // the answer would come too late anyway
        }
        if (!route.retryBudget().tryWithdraw()) {
            proxy.events().retryBudgetExhausted(route.name());
            return false;
        }
        retryTarget = next;
        retryDelayNanos = delay;
        return true;
    }

    /**
     * The backend for the next try: one not tried yet and not holding off (Retry-After) if the balancer offers
     * one within two rounds; else the least bad it offered (untried first, then the shortest hold).
     */
    private Backend nextBackend() {
        Backend best = null;
        boolean bestTried = true;
        long bestHold = Long.MAX_VALUE;
        int picks = 2 * Math.max(1, route.backends().size());
        for (int i = 0; i < picks; i++) {
            Backend candidate = route.balancer().pick(this);
            if (candidate == null) {
                break;
            }
            boolean wasTried = tried.contains(candidate);
            long hold = proxy.retryAfter().remainingNanos(candidate.address());
            if (!wasTried && hold == 0) {
                return candidate;
            }
            if (best == null || bestTried && !wasTried || bestTried == wasTried && hold < bestHold) {
                best = candidate;
                bestTried = wasTried;
                bestHold = hold;
            }
        }
        return best;
    }

    /** Ends the current try (counting it as failed) and schedules the next one as planned. */
    private void retry(String reason, UpstreamFailure.Kind failedKind, boolean reuseConnection) {
        String failed = backend.address();
        if (failedKind != null) {
            proxy.events().upstreamError(failed, failedKind);
        }
        proxy.events().retried(route.name(), failed, reason);
        endAttempt(reuseConnection);
        Backend next = retryTarget;
        retryTarget = null;
        int attempt = attempts;
        retryTimer = loop.schedule(() -> {
            retryTimer = null;
            if (state != State.DONE && attempt == attempts) {
                attempt(next);
            }
        }, retryDelayNanos, TimeUnit.NANOSECONDS);
    }

    private void endAttempt(boolean reuseConnection) {
        cancelPerTryTimer();
        releaseUpstream(reuseConnection);
        upstreamChannel = null;
        upstreamHandler = null;
        if (backendCounted) {
            backendCounted = false;
            backend.requestFinished();
        }
        state = State.CONNECTING;
        upstreamNeedsFlush = false;
        upstreamReusable = false;
        skippingInterim = false;
        requestSentNanos = 0;
        lastUpstreamReadNanos = 0;
        upstreamBlockedSince = 0;
    }

    private void cancelPerTryTimer() {
        if (perTryTimer != null) {
            perTryTimer.cancel(false);
            perTryTimer = null;
        }
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
        if (state == State.DONE) {
            return;
        }
        proxy.events().upstreamError(backend.address(), failure.kind());
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

    private void abortOnBadRequestBody() {
        if (!responseStarted) {
            writeLocal(ErrorResponses.plain(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                    "bad request: malformed message body"));
        } else {
            abort();
        }
    }

    /** Answers without a backend (no route, no backend, or a failure before any response byte). */
    private void respondLocally(HttpResponseStatus status, String reason) {
        writeLocal(ErrorResponses.plain(ctx.alloc(), status, reason));
    }

    private void writeLocal(FullHttpResponse response) {
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
        if (!requestForwarded) {
            // Answered locally or abandoned before a backend took it. An HTTP/2 request that ended with its
            // HEADERS arrives as a FullHttpRequest whose (empty) buffer would otherwise leak.
            ReferenceCountUtil.release(request);
        }
        releaseUpstream(upstreamReusable && requestComplete && responseComplete);
        cancelPerTryTimer();
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
        if (replay != null) {
            replay.release();
        }
        if (backendCounted) {
            backendCounted = false;
            backend.requestFinished();
        }
        proxy.exchangeFinished();
        proxy.events().requestCompleted(new ExchangeRecord(
                frontend.clientIp(), method, uri, http2 ? "HTTP/2" : clientVersion.text(),
                route == null ? "-" : route.name(), backend == null ? "-" : backend.address(),
                status, bytesIn, bytesOut, System.nanoTime() - startNanos, attempts));
        if (lastWrite != null && closeConnection && !http2) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
        frontend.exchangeDone(this, closeConnection);
    }

    private void releaseUpstream(boolean reuse) {
        if (upstream == null) {
            return;
        }
        upstreamHandler.unbind();
        if (reuse) {
            if (!upstreamChannel.config().isAutoRead()) {
                upstreamChannel.config().setAutoRead(true);
            }
            upstream.release();
        } else {
            upstream.discard();
        }
        upstream = null;
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
