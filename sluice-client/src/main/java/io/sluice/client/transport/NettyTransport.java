package io.sluice.client.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The SDK's HTTP transport on Netty: one pooled connection set to the gateway's admin listener, HTTP/2 multiplexed
 * when the server speaks it ({@link Http2Mode}) and HTTP/1.1 keep-alive otherwise, request bodies gzipped above a
 * threshold, gzip responses accepted. Thread-safe; {@link #send} never blocks.
 */
public final class NettyTransport implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

    private final TransportOptions options;
    private final EventLoopGroup group;
    private final Http1Pool http1;
    private final Http2Session http2;
    /** Which protocol requests use; for AUTO over TLS decided by the first connection's ALPN. */
    private volatile CompletableFuture<Protocol> protocol;

    public NettyTransport(TransportOptions options) {
        this.options = options;
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .remoteAddress(options.baseUri().getHost(), options.port());
        SslContext h1Ssl = null;
        SslContext h2Ssl = null;
        if (options.tls()) {
            h1Ssl = options.sslContext() != null ? options.sslContext() : sslContext(ApplicationProtocolNames.HTTP_1_1);
            h2Ssl = options.sslContext() != null ? options.sslContext() : options.http2() == Http2Mode.PRIOR_KNOWLEDGE
                    ? sslContext(ApplicationProtocolNames.HTTP_2)
                    : sslContext(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        }
        this.http1 = new Http1Pool(bootstrap.clone(), options, h1Ssl);
        this.http2 = new Http2Session(bootstrap.clone(), options, h2Ssl);
        this.protocol = initialProtocol();
    }

    /** A client TLS context trusting the JDK's trust store and offering {@code alpn} in order. */
    public static SslContext sslContext(String... alpn) {
        try {
            // the JDK's engine explicitly: Netty would pick OpenSSL wherever netty-tcnative is on the classpath
            // (the sluice jar has it for the tunnel), and this client's TLS was built and tested on the JDK's
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private CompletableFuture<Protocol> initialProtocol() {
        return switch (options.http2()) {
            case NEVER -> CompletableFuture.completedFuture(Protocol.HTTP_1_1);
            case PRIOR_KNOWLEDGE -> CompletableFuture.completedFuture(Protocol.HTTP_2);
            case AUTO -> options.tls() ? null : CompletableFuture.completedFuture(Protocol.HTTP_1_1);
        };
    }

    /** The protocol in use, negotiating it first (ALPN on one connection, kept for HTTP/2) when not known yet. */
    public CompletableFuture<Protocol> protocol() {
        CompletableFuture<Protocol> known = protocol;
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        synchronized (this) {
            if (protocol == null || protocol.isCompletedExceptionally()) {
                protocol = http2.connection().handle((ch, err) -> {
                    if (err == null) {
                        return Protocol.HTTP_2;
                    }
                    Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                    if (cause instanceof Http2Session.NotHttp2) {
                        return Protocol.HTTP_1_1;
                    }
                    throw cause instanceof RuntimeException re ? re : new TransportException(cause.toString(), cause, true);
                });
            }
            return protocol;
        }
    }

    /**
     * Opens connections now rather than on the first requests: {@code connections} HTTP/1.1 connections, or the one
     * HTTP/2 connection. Completes when they are up (or failed).
     */
    public CompletableFuture<Void> prewarm(int connections) {
        if (connections <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return protocol().thenCompose(p -> {
            if (p == Protocol.HTTP_2) {
                return http2.connection().thenApply(ch -> null);
            }
            List<CompletableFuture<Channel>> acquired = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                CompletableFuture<Channel> one = new CompletableFuture<>();
                http1.acquire().addListener(f -> {
                    if (f.isSuccess()) {
                        one.complete((Channel) f.getNow());
                    } else {
                        one.completeExceptionally(f.cause());
                    }
                });
                acquired.add(one);
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(acquired.toArray(CompletableFuture[]::new));
            return all.handle((v, err) -> err).thenCompose(err -> {
                List<CompletableFuture<Void>> released = new ArrayList<>();
                for (CompletableFuture<Channel> one : acquired) {
                    if (!one.isCompletedExceptionally()) {
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        http1.release(one.join()).addListener(r -> done.complete(null));
                        released.add(done);
                    }
                }
                return CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).thenApply(x -> {
                    if (err != null) {
                        Throwable cause = err.getCause() != null ? err.getCause() : err;
                        throw new TransportException("pre-warming failed: " + cause, cause, true);
                    }
                    return (Void) null;
                });
            });
        });
    }

    /** Sends one request; the future fails with a {@link TransportException} below HTTP. */
    public CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        protocol().whenComplete((p, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
            } else if (p == Protocol.HTTP_2) {
                sendHttp2(request, result);
            } else {
                sendHttp1(request, result);
            }
        });
        return result;
    }

    private void sendHttp1(Request request, CompletableFuture<Response> result) {
        http1.acquire().addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("no connection to " + options.authority() + ": "
                        + f.cause(), f.cause(), true));
                return;
            }
            Channel ch = (Channel) f.getNow();
            boolean[] released = new boolean[1];
            exchange(ch, request, result, Protocol.HTTP_1_1, reusable -> {
                if (!released[0]) {
                    released[0] = true;
                    if (!reusable) {
                        ch.close();
                    }
                    http1.release(ch);
                }
            });
        });
    }

    private void sendHttp2(Request request, CompletableFuture<Response> result) {
        http2.connection().whenComplete((parent, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
                return;
            }
            http2.openStream(parent).addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(new TransportException("cannot open an HTTP/2 stream: " + f.cause(),
                            f.cause(), true));
                    return;
                }
                Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                exchange(stream, request, result, Protocol.HTTP_2, reusable -> stream.close());
            });
        });
    }

    private void exchange(Channel ch, Request request, CompletableFuture<Response> result, Protocol protocol,
                          Consumer<Boolean> onEnd) {
        ch.eventLoop().execute(() -> {
            ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
            Exchange exchange = new Exchange(result, reusable -> {
                if (timer[0] != null) {
                    timer[0].cancel(false);
                }
                onEnd.accept(reusable);
            }, protocol, options.maxResponseBytes());
            ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
            if (handler == null || !ch.isActive()) {
                exchange.fail("connection closed before the request", null);
                return;
            }
            handler.begin(exchange);
            timer[0] = ch.eventLoop().schedule(() -> {
                handler.failCurrent("no response within " + options.requestTimeout(), null);
                ch.close();
            }, options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            ch.writeAndFlush(toNetty(request)).addListener(w -> {
                if (w.isSuccess()) {
                    exchange.written();
                } else {
                    handler.failCurrent("write failed", w.cause());
                    ch.close();
                }
            });
        });
    }

    private FullHttpRequest toNetty(Request request) {
        byte[] body = request.body();
        boolean gzip = options.gzipThreshold() > 0 && body.length >= options.gzipThreshold();
        if (gzip) {
            body = Gzip.compress(body);
        }
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.path(), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.HOST, options.authority());
        r.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            r.headers().set(h.getKey(), h.getValue());
        }
        if (body.length > 0 || !"GET".equals(request.method()) && !"DELETE".equals(request.method())) {
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (gzip) {
            r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        return r;
    }

    private static Throwable unwrap(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause instanceof TransportException ? cause : new TransportException(String.valueOf(cause), cause, true);
    }

    /** Schedules {@code task} after {@code nanos} on the transport's event loop (used for retry delays). */
    public void schedule(Runnable task, long nanos) {
        group.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    public TransportOptions options() {
        return options;
    }

    /** HTTP/1.1 connections open now (for tests and diagnostics). */
    public int openHttp1Connections() {
        return http1.openConnections();
    }

    /** HTTP/1.1 connections idle in the pool now. */
    public int idleHttp1Connections() {
        return http1.idleConnections();
    }

    /** Whether the HTTP/2 connection is up. */
    public boolean http2Connected() {
        return http2.connected();
    }

    @Override
    public void close() {
        boolean onOwnLoop = false;
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            onOwnLoop |= loop.inEventLoop();
        }
        io.netty.util.concurrent.Future<Void> poolClosed = http1.close();
        http2.close();
        if (!onOwnLoop) {
            // The pool closes on one of our event loops: shutting them down first can strand that task, and the
            // pool's completion with it on Netty's one shared GlobalEventExecutor thread, which then stalls every
            // later close in the JVM. Bounded, like the wait below.
            poolClosed.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        io.netty.util.concurrent.Future<?> done = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (onOwnLoop) {
            return; // closed from a callback on our own event loop: waiting here would wait for ourselves
        }
        // Bounded: Netty's graceful shutdown gives up after 2 s, and a close() must never hang its caller (once, in a
        // CI run, the group's termination future never completed after an executor had quit with a queued task).
        if (!done.awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "event loops still running 5 s after close; not waiting longer");
        }
    }
}
