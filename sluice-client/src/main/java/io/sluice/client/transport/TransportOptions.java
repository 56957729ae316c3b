package io.sluice.client.transport;

import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the transport connects and pools (seed 002's defaults in {@link #defaults}).
 *
 * @param baseUri             {@code http://host:port} or {@code https://host:port}
 * @param http2               when to speak HTTP/2
 * @param maxIdle             idle connections kept in all, beyond which a released one is closed (100)
 * @param maxPerHost          connections open to the host at once; more requests wait (30)
 * @param maxPending          requests allowed to wait for a connection before failing fast
 * @param idleTimeout         an idle connection is closed after this (90 s)
 * @param connectTimeout      TCP connect (and TLS handshake) limit
 * @param requestTimeout      limit from sending a request to its complete response
 * @param maxResponseBytes    largest response body accepted
 * @param gzipThreshold       request bodies of at least this many bytes are gzipped (1024); 0 disables
 * @param prewarmConnections  connections opened when the client is built (0: none)
 * @param ioThreads           event loop threads (1 is plenty for a control client)
 * @param sslContext          the TLS context for https (null: the JDK's trust store, ALPN set by the transport)
 */
public record TransportOptions(URI baseUri, Http2Mode http2, int maxIdle, int maxPerHost, int maxPending,
                               Duration idleTimeout, Duration connectTimeout, Duration requestTimeout,
                               int maxResponseBytes, int gzipThreshold, int prewarmConnections, int ioThreads,
                               SslContext sslContext) {

    public TransportOptions {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("base URI must be http:// or https://, got " + baseUri);
        }
        if (baseUri.getHost() == null) {
            throw new IllegalArgumentException("base URI has no host: " + baseUri);
        }
        requireRange("maxIdle", maxIdle, 0, 100_000);
        requireRange("maxPerHost", maxPerHost, 1, 100_000);
        requireRange("maxPending", maxPending, 0, 10_000_000);
        requireRange("maxResponseBytes", maxResponseBytes, 1, Integer.MAX_VALUE);
        requireRange("gzipThreshold", gzipThreshold, 0, Integer.MAX_VALUE);
        requireRange("prewarmConnections", prewarmConnections, 0, maxPerHost);
        requireRange("ioThreads", ioThreads, 1, 256);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
    }

    /** Seed 002's pool (100 idle, 30 per host, 90 s), 5 s connect, 30 s per request, 16 MiB responses, 1 KiB gzip. */
    public static TransportOptions defaults(URI baseUri) {
        return new TransportOptions(baseUri, Http2Mode.AUTO, 100, 30, 10_000, Duration.ofSeconds(90),
                Duration.ofSeconds(5), Duration.ofSeconds(30), 16 << 20, 1024, 1, 1, null);
    }

    public boolean tls() {
        return "https".equals(baseUri.getScheme());
    }

    public int port() {
        return baseUri.getPort() > 0 ? baseUri.getPort() : tls() ? 443 : 80;
    }

    /** The Host header / :authority. */
    public String authority() {
        String host = baseUri.getHost();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port();
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": must be " + min + ".." + max + ", got " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be a positive duration, got " + value);
        }
    }
}
