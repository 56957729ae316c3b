package io.sluice.transfer.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.config.PoolConfig;
import io.sluice.core.pool.PooledConnection;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.core.pool.UpstreamPoolBuilder;
import io.sluice.transfer.plan.ByteRange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A client for one origin ({@code scheme://host:port}): HTTP/1.1 keep-alive connections in a core
 * {@link UpstreamPool}, or HTTP/2 streams multiplexed over few connections ({@link Http2Connections}), chosen by
 * {@link HttpVersionPolicy} (TLS ALPN, or prior knowledge on cleartext). Worker threads call {@link #send} and read the {@link ResponseStream}
 * with blocking calls; the Netty event loops never block.
 *
 * <p>Every request carries {@code Accept-Encoding: identity}: byte ranges address the stored
 * representation, and a compressed body would not match them.
 */
public final class RangeClient implements AutoCloseable {

    /** Size of each socket read buffer: fixed, so memory per connection is known. */
    public static final int READ_BUFFER = 64 * 1024;

    private static final String USER_AGENT = "sluice-fetch/0.1";

    private final URI origin;
    private final String hostHeader;
    private final EventLoopGroup group;
    private final UpstreamPool pool;
    private final long readTimeoutNanos;
    private final long acquireTimeoutMillis;

    private final Http2Connections h2;
    private final AtomicInteger connects = new AtomicInteger();

    private RangeClient(URI origin, int connections, Duration connectTimeout, Duration readTimeout,
                        HttpVersionPolicy policy, Path trustedCertificates) throws IOException {
        this.origin = origin;
        boolean tls = "https".equalsIgnoreCase(origin.getScheme());
        int port = origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80;
        String host = origin.getHost();
        this.hostHeader = origin.getPort() > 0 ? host + ":" + port : host;
        InetSocketAddress address = new InetSocketAddress(host, port); // resolved here, never on a loop
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve host " + host);
        }
        this.group = new MultiThreadIoEventLoopGroup(Math.min(connections, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        this.readTimeoutNanos = readTimeout.toNanos();
        this.acquireTimeoutMillis = connectTimeout.toMillis() + 5_000;
        Bootstrap base = new Bootstrap()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER));
        boolean http2;
        try {
            http2 = switch (policy) {
                case HTTP1 -> false;
                case HTTP2 -> true;
                case AUTO -> tls && alpnOffersH2(base, address, host, port, trustedCertificates);
            };
        } catch (IOException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        SslContext ssl = tls ? sslContext(trustedCertificates, http2 ? List.of("h2") : List.of("http/1.1")) : null;
        if (http2) {
            Bootstrap template = base.clone().group(group).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (ssl != null) {
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                    }
                    Http2Connections.configure(ch.pipeline());
                }
            });
            this.h2 = new Http2Connections(() -> {
                connects.incrementAndGet();
                return connect(template, group.next(), address);
            }, connections - 1, connectTimeout.toMillis());
            this.pool = null;
            return;
        }
        this.h2 = null;
        Bootstrap template = base.clone()
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connects.incrementAndGet();
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec(4096, 16 * 1024, READ_BUFFER));
                        ch.pipeline().addLast("exchange", new ExchangeHandler());
                    }
                });
        PoolConfig config = new PoolConfig(0, connections, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofMillis(acquireTimeoutMillis));
        this.pool = UpstreamPool.builder(hostHeader, (EventLoop loop) -> connect(template, loop, address))
                .config(config)
                .scheduler(group.next())
                .build();
    }

    /** A client for {@code uri}'s origin with at most {@code connections} pooled connections. */
    public static RangeClient open(URI uri, int connections, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        return open(uri, connections, connectTimeout, readTimeout, HttpVersionPolicy.AUTO, null);
    }

    /**
     * A client for {@code uri}'s origin: HTTP/1.1 with at most {@code connections} pooled connections, or HTTP/2
     * with {@code connections - 1} streams spread over few connections ({@link Http2Connections}).
     *
     * @param trustedCertificates PEM certificates to trust instead of the JDK's CAs; null for the JDK's
     */
    public static RangeClient open(URI uri, int connections, Duration connectTimeout, Duration readTimeout,
                                   HttpVersionPolicy policy, Path trustedCertificates) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("URL: " + uri + " (expected: an http:// or https:// URL with a host)");
        }
        return new RangeClient(uri, connections, connectTimeout, readTimeout, policy, trustedCertificates);
    }

    /** "h2" or "http/1.1": what this client speaks. */
    public String protocol() {
        return h2 != null ? "h2" : "http/1.1";
    }

    /** TCP connections opened so far. */
    public int connectionsOpened() {
        return connects.get();
    }

    /** Connects once with ALPN offering h2 and http/1.1 and reports whether the server chose h2. */
    private boolean alpnOffersH2(Bootstrap base, InetSocketAddress address, String host, int port, Path trusted)
            throws IOException {
        SslContext probe = sslContext(trusted, List.of("h2", "http/1.1"));
        Promise<String> chosen = group.next().newPromise();
        ChannelFuture connect = base.clone().group(group).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler tls = probe.newHandler(ch.alloc(), host, port);
                ch.pipeline().addLast("tls", tls);
                tls.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        chosen.trySuccess(tls.applicationProtocol());
                    } else {
                        chosen.tryFailure(f.cause());
                    }
                });
            }
        }).connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                chosen.tryFailure(f.cause());
            }
        });
        try {
            if (!chosen.await(acquireTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new TransientException("TLS handshake with " + hostHeader + " took more than " + acquireTimeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the TLS handshake with " + hostHeader);
        } finally {
            connect.channel().close();
        }
        if (!chosen.isSuccess()) {
            throw new TransientException("cannot connect to " + hostHeader + ": " + chosen.cause(), chosen.cause());
        }
        return "h2".equals(chosen.getNow());
    }

    private static Future<Channel> connect(Bootstrap template, EventLoop loop, InetSocketAddress address) {
        Promise<Channel> promise = loop.newPromise();
        ChannelFuture connect = template.clone(loop).connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(connect.channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    private static SslContext sslContext(Path trusted, List<String> alpn) throws IOException {
        try {
            // the JDK's engine explicitly: Netty would pick OpenSSL wherever netty-tcnative is on the classpath
            // (the gateway has it for the tunnel), and the transfer engine's TLS was built and tested on the JDK's
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            if (trusted != null) {
                b.trustManager(trusted.toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Same scheme, host and port as this client's origin. */
    public boolean serves(URI uri) {
        return origin.getScheme().equalsIgnoreCase(uri.getScheme()) && origin.getHost().equalsIgnoreCase(uri.getHost())
                && origin.getPort() == uri.getPort();
    }

    /**
     * Sends {@code method uri} with an optional {@code Range} and {@code If-Range} and returns the
     * response stream; close it when done.
     */
    public ResponseStream send(HttpMethod method, URI uri, ByteRange range, String ifRange) throws IOException {
        PooledConnection connection = h2 != null ? h2.acquire() : acquire();
        Channel ch = connection.channel();
        ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
        if (handler == null) {
            connection.discard();
            throw new TransientException("pooled connection lost its handler");
        }
        ResponseStream stream = new ResponseStream(connection, handler, readTimeoutNanos);
        handler.attach(stream);
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (range != null) {
            request.headers().set(HttpHeaderNames.RANGE, range.header());
            if (ifRange != null) {
                request.headers().set(HttpHeaderNames.IF_RANGE, ifRange);
            }
        }
        ch.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                stream.fail(new TransientException("request failed: " + f.cause(), f.cause()));
            }
        });
        return stream;
    }

    private PooledConnection acquire() throws IOException {
        for (int tries = 0; ; tries++) {
            Future<PooledConnection> f = pool.acquire(group.next());
            try {
                if (!f.await(acquireTimeoutMillis + 1_000, TimeUnit.MILLISECONDS)) {
                    f.cancel(false);
                    throw new TransientException("no connection to " + hostHeader + " within " + acquireTimeoutMillis + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.addListener(done -> {
                    if (done.isSuccess()) {
                        ((PooledConnection) done.getNow()).release();
                    }
                });
                throw new InterruptedIOException("interrupted while connecting to " + hostHeader);
            }
            if (!f.isSuccess()) {
                throw new TransientException("cannot connect to " + hostHeader + ": " + f.cause(), f.cause());
            }
            PooledConnection c = f.getNow();
            if (c.channel().isActive()) {
                return c;
            }
            c.discard();
            if (tries > 3) {
                throw new TransientException("connections to " + hostHeader + " keep closing");
            }
        }
    }

    @Override
    public void close() {
        if (h2 != null) {
            h2.close();
        } else {
            pool.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
