package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
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
 * TLS for the tunnel: h2 only through ALPN, TLS 1.3 (1.2 accepted), with {@code tls.named_groups} choosing the key
 * exchange. {@code tls.provider} (default {@code auto}) picks the implementation: OpenSSL (BoringSSL through
 * netty-tcnative) when it loads and knows every named group — 1.1–1.6× the JDK engine's throughput at less CPU per
 * byte, a handshake an order of magnitude cheaper, and the post-quantum hybrid X25519MLKEM768 built in; otherwise
 * JSSE: the JDK's provider, unless the list names groups it lacks that BouncyCastle's JSSE offers (the hybrids on
 * JDK 25), which switches this tunnel's TLS (not the rest of Sluice) to BCJSSE with BouncyCastle's JCA provider;
 * neither is registered globally.
 */
final class TunnelTls {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TunnelTls.class);

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * AES-128-GCM first: as strong as the tunnel needs and cheaper per byte than AES-256 (the JDK's default first
     * choice); ChaCha20 for machines without AES instructions; TLS 1.2 suites with forward secrecy only. (BoringSSL
     * keeps its own TLS 1.3 order, which is the same on machines with AES instructions.)
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

    /**
     * Plaintext handed to OpenSSL per wrap: 64 KiB, so one wrap writes a 64 KiB DATA frame as four TLS records into
     * one buffer and one socket write (Netty's default, 16 KiB, is one record per wrap). Measured +3 … +11 % tunnel
     * throughput per round on loopback (docs/BENCHMARKS.md, "Tunnel on OpenSSL"). The JDK engine writes one record
     * per wrap whatever it is given.
     */
    static final int OPENSSL_WRAP_DATA_SIZE = 64 * 1024;

    /** What carries the tunnel's TLS, as the start log and {@code sluice_tunnel_tls_provider} name it. */
    enum Implementation {
        OPENSSL("openssl"), JDK("jdk"), BCJSSE("bcjsse");

        final String tag;

        Implementation(String tag) {
            this.tag = tag;
        }

        boolean jsse() {
            return this != OPENSSL;
        }
    }

    private final SslContext context;
    private final Implementation implementation;
    private final List<String> namedGroups;
    private final Duration handshakeTimeout;

    private TunnelTls(SslContext context, Implementation implementation, List<String> namedGroups,
                      Duration handshakeTimeout) {
        this.context = context;
        this.implementation = implementation;
        this.namedGroups = namedGroups;
        this.handshakeTimeout = handshakeTimeout;
    }

    Implementation implementation() {
        return implementation;
    }

    /** The server side; with {@code tls.client_ca}, client certificates are asked for (required without tokens). */
    static TunnelTls server(TunnelConfig config) throws SSLException {
        TunnelConfig.Tls tls = config.tls();
        Implementation implementation = choose(tls.provider(), tls.namedGroups());
        SslContextBuilder builder = implementation == Implementation.BCJSSE
                ? SslContextBuilder.forServer(BouncyCastleTls.keyManagers(tls.certificate().orElseThrow(),
                        tls.privateKey().orElseThrow(), tls.keyPassword()))
                : SslContextBuilder.forServer(tls.certificate().orElseThrow().toFile(),
                        tls.privateKey().orElseThrow().toFile(), tls.keyPassword().orElse(null));
        if (tls.trust().isPresent()) {
            builder.trustManager(tls.trust().get().toFile())
                    .clientAuth(config.tokens().isEmpty() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return build(builder, implementation, config, "server");
    }

    /** The client side: trusts {@code tls.ca} (else the JDK's store), presents {@code tls.cert} if set. */
    static TunnelTls client(TunnelConfig config) throws SSLException {
        TunnelConfig.Tls tls = config.tls();
        Implementation implementation = choose(tls.provider(), tls.namedGroups());
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (tls.trust().isPresent()) {
            builder.trustManager(tls.trust().get().toFile());
        }
        if (tls.certificate().isPresent() && implementation == Implementation.BCJSSE) {
            builder.keyManager(BouncyCastleTls.keyManagers(tls.certificate().get(), tls.privateKey().orElseThrow(),
                    tls.keyPassword()));
        } else if (tls.certificate().isPresent()) {
            builder.keyManager(tls.certificate().get().toFile(), tls.privateKey().orElseThrow().toFile(),
                    tls.keyPassword().orElse(null));
        }
        builder.endpointIdentificationAlgorithm("HTTPS");
        return build(builder, implementation, config, "client");
    }

    private static TunnelTls build(SslContextBuilder builder, Implementation implementation, TunnelConfig config,
                                   String role) throws SSLException {
        List<String> wanted = config.tls().namedGroups();
        List<String> groups = effectiveGroups(wanted, implementation);
        SslContext context = common(builder, implementation, groups);
        log.info("tunnel {}: TLS by {} ({}), named groups {}", role, implementation.tag, version(implementation),
                groups.isEmpty() ? "(provider default)" : groups);
        return new TunnelTls(context, implementation, implementation.jsse() ? groups : List.of(),
                config.limits().handshakeTimeout());
    }

    private static String version(Implementation implementation) {
        return switch (implementation) {
            case OPENSSL -> OpenSsl.versionString() + " via netty-tcnative";
            case JDK -> "JDK " + System.getProperty("java.version");
            case BCJSSE -> "BouncyCastle JSSE " + BouncyCastleTls.jsse().getVersionStr();
        };
    }

    /**
     * The implementation for {@code tls.provider} and {@code tls.named_groups}. {@code auto}: OpenSSL when it loads
     * and knows every group, else JSSE; {@code openssl} fails the start when OpenSSL cannot serve; {@code jdk}: JSSE
     * (the JDK's, or BouncyCastle's for groups only it has).
     */
    static Implementation choose(TunnelConfig.TlsProvider provider, List<String> groups) throws SSLException {
        switch (provider) {
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new SSLException("tunnel.tls.provider: openssl, but OpenSSL (netty-tcnative BoringSSL)"
                            + " does not load here: " + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
                }
                List<String> unknown = groups.stream().filter(g -> !openSslKnows(g)).toList();
                if (!unknown.isEmpty()) {
                    throw new SSLException("tunnel.tls.named_groups: " + unknown + " not supported by "
                            + OpenSsl.versionString() + " (tunnel.tls.provider: openssl)");
                }
                return Implementation.OPENSSL;
            }
            case AUTO -> {
                if (OpenSsl.isAvailable() && groups.stream().allMatch(TunnelTls::openSslKnows)) {
                    return Implementation.OPENSSL;
                }
                return jsseFor(groups) == null ? Implementation.JDK : Implementation.BCJSSE;
            }
            default -> {
                return jsseFor(groups) == null ? Implementation.JDK : Implementation.BCJSSE;
            }
        }
    }

    /** Whether BoringSSL accepts {@code group} (it rejects an unknown name when the context is configured). */
    static boolean openSslKnows(String group) {
        if (!OpenSsl.isAvailable()) {
            return false;
        }
        SslContext probe = null;
        try {
            probe = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT)
                    .option(OpenSslContextOption.GROUPS, new String[] {group}).build();
            return true;
        } catch (SSLException | RuntimeException e) {
            return false;
        } finally {
            io.netty.util.ReferenceCountUtil.release(probe);
        }
    }

    /**
     * The JSSE provider for {@code tls.named_groups}: null (the JDK's) when the list is empty or the JDK knows every
     * group in it; BouncyCastle's when it knows more of them (the PQ hybrids on JDK 25). Unknown names are dropped
     * by JSSE without a word, so a list neither knows any of fails the start instead of every handshake.
     */
    static java.security.Provider jsseFor(List<String> wanted) throws SSLException {
        if (wanted.isEmpty()) {
            return null;
        }
        List<String> jdk = jdkGroups();
        long jdkKnown = wanted.stream().filter(g -> containsIgnoreCase(jdk, g)).count();
        if (jdkKnown == wanted.size()) {
            return null;
        }
        List<String> bc = BouncyCastleTls.GROUPS;
        long bcKnown = wanted.stream().filter(g -> containsIgnoreCase(bc, g)).count();
        if (bcKnown > jdkKnown) {
            log.info("tunnel: TLS named groups {} need BouncyCastle's JSSE ({} of them known to it, {} to JDK {})",
                    wanted, bcKnown, jdkKnown, System.getProperty("java.version"));
            return BouncyCastleTls.jsse();
        }
        if (jdkKnown == 0) {
            throw new SSLException("tunnel.tls.named_groups: none of " + wanted + " is supported by this JDK ("
                    + System.getProperty("java.version") + "), which offers " + jdk + ", nor by BouncyCastle's JSSE,"
                    + " which offers " + bc + (OpenSsl.isAvailable() ? ", nor by " + OpenSsl.versionString() : ""));
        }
        return null;
    }

    /**
     * The groups configured: {@code tls.named_groups} as written, except that with BouncyCastle's JSSE the NIST
     * curves are appended when missing. BCJSSE offers and accepts the TLS 1.3 signature scheme
     * ecdsa_secp256r1_sha256 (and its P-384/P-521 siblings) only while that curve is an enabled group, so
     * {@code [X25519MLKEM768]} alone would fail every handshake with an ECDSA certificate ("no selectable cipher
     * suite"). They come last: a client still sends its key share for the first group, and the server takes it.
     * (BoringSSL ties signature schemes to no group.)
     */
    static List<String> effectiveGroups(List<String> wanted, Implementation implementation) {
        if (implementation != Implementation.BCJSSE) {
            return wanted;
        }
        List<String> out = new java.util.ArrayList<>(wanted);
        for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
            if (!containsIgnoreCase(out, curve)) {
                out.add(curve);
            }
        }
        return List.copyOf(out);
    }

    /** Named groups the running JDK's JSSE offers. */
    static List<String> jdkGroups() throws SSLException {
        try {
            javax.net.ssl.SSLContext jdk = javax.net.ssl.SSLContext.getInstance("TLS");
            jdk.init(null, null, null);
            return List.of(jdk.createSSLEngine().getSSLParameters().getNamedGroups());
        } catch (java.security.GeneralSecurityException e) {
            throw new SSLException("cannot list TLS named groups: " + e, e);
        }
    }

    private static boolean containsIgnoreCase(List<String> list, String g) {
        return list.stream().anyMatch(o -> o.equalsIgnoreCase(g));
    }

    private static SslContext common(SslContextBuilder builder, Implementation implementation, List<String> groups)
            throws SSLException {
        if (implementation == Implementation.BCJSSE) {
            builder.sslContextProvider(BouncyCastleTls.jsse());
        }
        if (implementation == Implementation.OPENSSL) {
            // plain OPENSSL, not OPENSSL_REFCNT: the context lives as long as the tunnel, and each engine is freed
            // by SslHandler when its channel closes (and by a cleaner for one never put in a pipeline)
            builder.sslProvider(SslProvider.OPENSSL);
            if (!groups.isEmpty()) {
                builder.option(OpenSslContextOption.GROUPS, groups.toArray(String[]::new));
            }
        } else {
            builder.sslProvider(SslProvider.JDK);
        }
        return builder.protocols(PROTOCOLS)
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
        if (implementation.jsse()) {
            handler.setCumulator(HEAP_CUMULATOR); // OpenSSL reads direct buffers: Netty's own cumulator suits it
        } else {
            handler.setWrapDataSize(OPENSSL_WRAP_DATA_SIZE);
        }
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
