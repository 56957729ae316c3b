package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.sluice.core.config.TunnelConfig;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the tunnel: h2 only through ALPN, TLS 1.3 (1.2 accepted), the JDK provider so that
 * {@code tls.named_groups} can choose the key exchange (X25519MLKEM768 where the JDK offers it).
 */
final class TunnelTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * AES-128-GCM first: as strong as the tunnel needs and cheaper per byte than AES-256 (the JDK's default first
     * choice); ChaCha20 for machines without AES instructions; TLS 1.2 suites with forward secrecy only.
     */
    private static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * Outbound buffering of a tunnel connection before its streams stop reading their sockets: 1 MiB, so a few
     * 64 KiB DATA frames are in flight at once (Netty's default 64 KiB would stop every stream after one frame).
     */
    static final io.netty.channel.WriteBufferWaterMark CONNECTION_WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final SslContext context;
    private final List<String> namedGroups;
    private final Duration handshakeTimeout;

    private TunnelTls(SslContext context, List<String> namedGroups, Duration handshakeTimeout) {
        this.context = context;
        this.namedGroups = namedGroups;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** The server side; with {@code tls.client_ca}, client certificates are asked for (required without tokens). */
    static TunnelTls server(TunnelConfig config) throws SSLException {
        TunnelConfig.Tls tls = config.tls();
        SslContextBuilder builder = SslContextBuilder.forServer(tls.certificate().orElseThrow().toFile(),
                tls.privateKey().orElseThrow().toFile(), tls.keyPassword().orElse(null));
        if (tls.trust().isPresent()) {
            builder.trustManager(tls.trust().get().toFile())
                    .clientAuth(config.tokens().isEmpty() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        checkNamedGroups(tls.namedGroups());
        return new TunnelTls(common(builder), tls.namedGroups(), config.limits().handshakeTimeout());
    }

    /** The client side: trusts {@code tls.ca} (else the JDK's store), presents {@code tls.cert} if set. */
    static TunnelTls client(TunnelConfig config) throws SSLException {
        TunnelConfig.Tls tls = config.tls();
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (tls.trust().isPresent()) {
            builder.trustManager(tls.trust().get().toFile());
        }
        if (tls.certificate().isPresent()) {
            builder.keyManager(tls.certificate().get().toFile(), tls.privateKey().orElseThrow().toFile(),
                    tls.keyPassword().orElse(null));
        }
        builder.endpointIdentificationAlgorithm("HTTPS");
        checkNamedGroups(tls.namedGroups());
        return new TunnelTls(common(builder), tls.namedGroups(), config.limits().handshakeTimeout());
    }

    /**
     * Checks {@code tls.named_groups} against what this JDK offers: unknown names are dropped by the JDK without a
     * word, so a list with none it knows would fail every handshake; better to fail the start and say why.
     */
    static void checkNamedGroups(List<String> wanted) throws SSLException {
        if (wanted.isEmpty()) {
            return;
        }
        List<String> offered;
        try {
            javax.net.ssl.SSLContext jdk = javax.net.ssl.SSLContext.getInstance("TLS");
            jdk.init(null, null, null);
            offered = List.of(jdk.createSSLEngine().getSSLParameters().getNamedGroups());
        } catch (java.security.GeneralSecurityException e) {
            throw new SSLException("cannot list TLS named groups: " + e, e);
        }
        List<String> known = wanted.stream().filter(g -> offered.stream().anyMatch(o -> o.equalsIgnoreCase(g)))
                .toList();
        if (known.isEmpty()) {
            throw new SSLException("tunnel.tls.named_groups: none of " + wanted + " is supported by this JDK ("
                    + System.getProperty("java.version") + "), which offers " + offered);
        }
    }

    private static SslContext common(SslContextBuilder builder) throws SSLException {
        return builder.sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
    }

    /** A handler for one connection; {@code peerHost} is checked against the server certificate (client side). */
    SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort) {
        SSLEngine engine = peerHost == null ? context.newEngine(alloc) : context.newEngine(alloc, peerHost, peerPort);
        if (!namedGroups.isEmpty()) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setNamedGroups(namedGroups.toArray(String[]::new));
            engine.setSSLParameters(parameters);
        }
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        handler.setCumulator(HEAP_CUMULATOR);
        return handler;
    }

    /**
     * Gathers received TLS records in heap buffers. The JDK engine decrypts a record in place in the buffer it is
     * given, and its AES-GCM intrinsics work on {@code byte[]}: on a direct buffer it goes through a slower path
     * (measured with bench/lib/TlsCost.java, docs/BENCHMARKS.md "Tunnel"). One copy of the ciphertext into the heap
     * costs less than that. (Netty already gives the JDK engine heap buffers to wrap into.)
     */
    static final io.netty.handler.codec.ByteToMessageDecoder.Cumulator HEAP_CUMULATOR = (alloc, cumulation, in) -> {
        try {
            int n = in.readableBytes();
            if (!cumulation.isReadable() && in.hasArray() && in.isContiguous()) {
                cumulation.release();
                io.netty.buffer.ByteBuf keep = in;
                in = null;
                return keep;
            }
            if (cumulation.hasArray() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()
                    && cumulation.maxWritableBytes() >= n) {
                if (!cumulation.isReadable()) {
                    cumulation.clear();
                }
                cumulation.writeBytes(in);
                return cumulation;
            }
            io.netty.buffer.ByteBuf heap = alloc.heapBuffer(Math.max(cumulation.readableBytes() + n, 16 * 1024 + 64));
            heap.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return heap;
        } finally {
            if (in != null) {
                in.release();
            }
        }
    };
}
