package io.sluice.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.limit.netty.ReadGate;
import io.sluice.core.limit.netty.ReadPacer;
import io.sluice.gateway.http.codec.FramingGuard;
import io.sluice.gateway.http.codec.LingeringClose;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The end of a downstream pipeline: one per HTTP/1.1 connection, or one per HTTP/2 stream.
 *
 * <p>Requests are handled one at a time. Objects that arrive while the current exchange cannot
 * take them (the backend connection is not ready yet, or a pipelined request follows one still
 * being answered) wait in {@code pending}; reading from the socket is paused meanwhile, so that
 * queue never holds more than what one read decoded.
 */
public final class ProxyHandler extends ChannelDuplexHandler {

    private static final long MIN_TIMER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** While a finished response still drains, the timer looks this often, so idleness counts from its end. */
    private static final long DRAINING_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProxyContext proxy;
    private final String scheme;
    private final boolean http2Stream;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4);

    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private int requestsServed;
    private boolean closing;
    private String clientIp;
    /** When the connection last became idle (no exchange, output sent); the keep-alive timeout counts from here. */
    private long idleSince;
    private final OutputProgress output = new OutputProgress();
    private ScheduledFuture<?> timer;
    private RequestHeadClock headClock;
    private ReadGate gate;
    /** Paces the client's uploads when a route limits bandwidth; lives as long as the connection (or stream). */
    private ReadPacer uploadPacer;

    /**
     * @param scheme      {@code http} or {@code https}, as the client connected
     * @param http2Stream whether this handler serves one HTTP/2 stream (no keep-alive or Connection semantics)
     */
    public ProxyHandler(ProxyContext proxy, String scheme, boolean http2Stream) {
        this.proxy = proxy;
        this.scheme = scheme;
        this.http2Stream = http2Stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.headClock = ctx.pipeline().get(RequestHeadClock.class);
        this.gate = ReadGate.of(ctx.channel());
        idleSince = System.nanoTime();
        scheduleTimer(initialTimerDelay());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (uploadPacer != null) {
            uploadPacer.cancel();
        }
    }

    // One timer per connection enforces keep-alive and the exchange's deadlines. It is rescheduled only when it
    // fires, for the earliest deadline that could then have passed: per request there is no timer work at all,
    // only timestamps (the technique of Netty's IdleStateHandler, without its per-write listeners).
    private long initialTimerDelay() {
        long keepAlive = http2Stream ? Long.MAX_VALUE : idlePeriod();
        return Math.min(keepAlive, Math.min(proxy.timeouts().read().toNanos(), proxy.timeouts().write().toNanos()));
    }

    /** While idle the timer fires at least this often, so a half-sent request head is noticed in time. */
    private long idlePeriod() {
        return Math.min(proxy.connectionSettings().keepAliveTimeout().toNanos(), proxy.timeouts().requestHeader().toNanos());
    }

    private void scheduleTimer(long delayNanos) {
        timer = ctx.executor().schedule(this::onTimer, Math.max(delayNanos, MIN_TIMER_NANOS), TimeUnit.NANOSECONDS);
    }

    private void requestHeadTimedOut() {
        closing = true;
        releasePending();
        writeLocalResponse(ErrorResponses.plain(ctx.alloc(), io.netty.handler.codec.http.HttpResponseStatus.REQUEST_TIMEOUT,
                "request timeout: the request head did not arrive within " + proxy.timeouts().requestHeader().toMillis() + "ms"),
                true);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long next;
        if (exchange != null) {
            next = exchange.checkDeadlines(now);
            if (next == 0) {
                next = initialTimerDelay();
            }
        } else if (http2Stream) {
            return;
        } else {
            long headerTimeout = proxy.timeouts().requestHeader().toNanos();
            long firstByte = headClock == null ? 0 : headClock.firstByteNanos();
            if (firstByte != 0) {
                if (now - firstByte >= headerTimeout) {
                    requestHeadTimedOut();
                    return;
                }
                next = headerTimeout - (now - firstByte);
            } else if (output.sending(ctx.channel(), now)) {
                // A response that outlived its exchange is still leaving: the connection is busy, not idle.
                long write = proxy.timeouts().write().toNanos();
                long stalled = output.stalledFor(now);
                if (stalled >= write) {
                    ctx.close(); // the client stopped taking the response
                    return;
                }
                idleSince = now;
                next = Math.min(write - stalled, Math.min(idlePeriod(), DRAINING_CHECK_NANOS));
            } else {
                long idle = now - idleSince;
                long keepAlive = proxy.connectionSettings().keepAliveTimeout().toNanos();
                if (idle >= keepAlive) {
                    ctx.close();
                    return;
                }
                next = Math.min(keepAlive - idle, idlePeriod());
            }
        }
        scheduleTimer(next);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject object) || closing && exchange == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(object);
        drain();
    }

    /** Feeds queued objects to the current exchange, starting new ones, as far as state allows. */
    void drain() {
        while (!pending.isEmpty() && !closing) {
            if (exchange == null) {
                HttpObject next = pending.poll();
                if (next instanceof HttpRequest request) {
                    startExchange(request);
                } else {
                    // The rest of a body whose request was already answered (and the connection is closing).
                    ReferenceCountUtil.release(next);
                }
            } else if (exchange.acceptsRequestBody()) {
                exchange.forwardRequestBody((HttpContent) pending.poll());
            } else {
                break;
            }
        }
        if (exchange != null) {
            exchange.flushUpstream();
        }
        updateAutoRead();
    }

    private void startExchange(HttpRequest request) {
        requestsServed++;
        if (headClock != null) {
            headClock.headReceived();
        }
        if (!http2Stream && (!proxy.connectionSettings().keepAlive()
                || requestsServed >= proxy.connectionSettings().maxRequestsPerConnection()
                || proxy.draining())) {
            // This is the last request this connection carries; its response says so.
            HttpUtil.setKeepAlive(request, false);
        }
        exchange = new Exchange(this, proxy, request, scheme, http2Stream);
        exchange.start();
    }

    /** Called by the exchange when its response is fully written (or it was abandoned). */
    void exchangeDone(Exchange done, boolean closeConnection) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        idleSince = System.nanoTime();
        if (headClock != null) {
            headClock.awaitNextHead();
        }
        if (closeConnection || http2Stream) {
            closing = true;
            releasePending();
            return;
        }
        drain();
    }

    /** Sends a locally generated response and closes afterwards when asked (or when the body is unread). */
    void writeLocalResponse(FullHttpResponse response, boolean close) {
        if (http2Stream) {
            ctx.writeAndFlush(response);
            return;
        }
        HttpUtil.setKeepAlive(response, !close);
        if (close) {
            // Lingering: closing under a client still sending its body would reset the connection (see LingeringClose).
            LingeringClose.respond(ctx, response);
        } else {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
    }

    /**
     * Reads only while nothing waits: pausing is lazy because on epoll every toggle is a system call, and a
     * keep-alive client that sends one request at a time never makes anything wait. Something queued (a pipelined
     * request, a body while the backend connection is being opened) or a backend that cannot take more body
     * pauses reading, so the queue never outgrows one read. This is one reason of the channel's {@link ReadGate};
     * a bandwidth throttle's wait is another, and reading resumes only when neither holds it.
     */
    void updateAutoRead() {
        boolean read = !closing && pending.isEmpty() && (exchange == null || !exchange.requestBodyBlocked());
        gate.set(ReadGate.BACKPRESSURE, !read);
    }

    /** Paces reading from the client to the bandwidth throttles request bodies are debited against. */
    ReadPacer uploadPacer() {
        if (uploadPacer == null) {
            uploadPacer = new ReadPacer(gate, ctx.executor());
        }
        return uploadPacer;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    String clientIp() {
        if (clientIp == null) {
            SocketAddress address = clientAddress();
            clientIp = address instanceof InetSocketAddress inet
                    ? (inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString())
                    : String.valueOf(address);
        }
        return clientIp;
    }

    SocketAddress clientAddress() {
        SocketAddress address = ctx.channel().remoteAddress();
        return address == null && ctx.channel().parent() != null ? ctx.channel().parent().remoteAddress() : address;
    }

    boolean lastRequestOnConnection() {
        return closing;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
            // The connection became HTTP/2: streams get their own handlers; the HTTP/1.1 ones step aside.
            for (String name : new String[] {"framing"}) {
                if (ctx.pipeline().get(name) != null) {
                    ctx.pipeline().remove(name);
                }
            }
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof FramingGuard.FramingError) {
            // The request body turned out malformed; FramingGuard answers the client, the backend must not see more.
            closing = true;
            releasePending();
            if (exchange != null) {
                exchange.onRequestFramingError();
            }
            return;
        }
        if (evt == ProxyContext.Drain.INSTANCE) {
            if (exchange == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (uploadPacer != null) {
            uploadPacer.cancel();
        }
        closing = true;
        releasePending();
        if (exchange != null) {
            exchange.onClientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (http2Stream && Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // The client broke HTTP/2 on this stream (malformed headers, content-length that disagrees with
            // its DATA, a frame the stream's state forbids). The stream channel resets the stream with the
            // exception's error code; closing it here first would send RST_STREAM CANCEL, or nothing at all
            // once the client has ended its side. The exchange still cleans up on channelInactive.
            ctx.fireExceptionCaught(cause);
            return;
        }
        // Downstream I/O errors (reset by peer, TLS failures) end the connection; the exchange cleans up on inactive.
        ctx.close();
    }

    private void releasePending() {
        HttpObject object;
        while ((object = pending.poll()) != null) {
            ReferenceCountUtil.release(object);
        }
    }

    /** A request with no body at all: its LastHttpContent may still be queued behind it. */
    static boolean hasNoBody(HttpRequest request) {
        if (request instanceof LastHttpContent) {
            return !((LastHttpContent) request).content().isReadable();
        }
        return !HttpUtil.isTransferEncodingChunked(request)
                && HttpUtil.getContentLength(request, 0L) == 0L;
    }

    static boolean expectsContinue(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.EXPECT);
    }

    static HttpResponseStatus status(int code) {
        return HttpResponseStatus.valueOf(code);
    }
}
