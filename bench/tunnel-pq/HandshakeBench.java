import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Tunnel TLS handshake cost, classical vs post-quantum hybrid: full TLS 1.3 handshakes (ECDSA P-256 certificate,
 * ALPN h2, TLS_AES_128_GCM_SHA256 first: the tunnel's settings) between a client and a server SSLEngine in one
 * thread, in memory, so the figure is the CPU cost of both ends without network or scheduling noise. JSSE (the JDK's,
 * BouncyCastle's) and OpenSSL (BoringSSL through netty-tcnative, as the tunnel's tls.provider: openssl uses it).
 * Usage: java -cp CLASSPATH HandshakeBench.java CERT KEY CA [N]
 */
public class HandshakeBench {
    public static void main(String[] args) throws Exception {
        Path cert = Path.of(args[0]), key = Path.of(args[1]), ca = Path.of(args[2]);
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Provider bc = new BouncyCastleJsseProvider(new BouncyCastleProvider());
        List<String> curves = List.of("secp256r1", "secp384r1", "secp521r1");
        record Mode(String name, Provider provider, String[] groups, boolean openssl) {}
        List<Mode> modes = List.of(
                new Mode("JDK x25519", null, new String[] {"x25519"}, false),
                new Mode("BCJSSE x25519", bc, concat("x25519", curves), false),
                new Mode("BCJSSE X25519MLKEM768", bc, concat("X25519MLKEM768", curves), false),
                new Mode("OpenSSL x25519", null, new String[] {"x25519"}, true),
                new Mode("OpenSSL X25519MLKEM768", null, new String[] {"X25519MLKEM768"}, true));
        int rounds = 5;
        SslContext[][] contexts = new SslContext[modes.size()][2];
        for (int m = 0; m < modes.size(); m++) {
            Mode mode = modes.get(m);
            contexts[m][0] = context(SslContextBuilder.forClient().trustManager(ca.toFile())
                    .endpointIdentificationAlgorithm("HTTPS"), mode.provider, mode.openssl ? mode.groups : null);
            contexts[m][1] = context(mode.provider == null ? SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    : SslContextBuilder.forServer(keyManagers(cert, key, bc)), mode.provider,
                    mode.openssl ? mode.groups : null);
            for (int i = 0; i < n / 3; i++) {
                handshake(contexts[m][0], contexts[m][1], mode.openssl ? null : mode.groups); // warm-up: JIT, caches
            }
        }
        // Modes interleaved in rounds, so drifting load on a shared machine falls on all of them alike.
        long[][] t = new long[modes.size()][n];
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < modes.size(); m++) {
                for (int i = r * n / rounds; i < (r + 1) * n / rounds; i++) {
                    long start = System.nanoTime();
                    handshake(contexts[m][0], contexts[m][1], modes.get(m).openssl ? null : modes.get(m).groups);
                    t[m][i] = System.nanoTime() - start;
                }
            }
        }
        System.out.printf("%-24s %8s %8s %8s %8s%n", "mode", "p50 ms", "p95 ms", "mean ms", "n");
        double[] mean = new double[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            Arrays.sort(t[m]);
            mean[m] = Arrays.stream(t[m]).average().orElse(0) / 1e6;
            System.out.printf("%-24s %8.3f %8.3f %8.3f %8d%n", modes.get(m).name, t[m][n / 2] / 1e6,
                    t[m][n * 95 / 100] / 1e6, mean[m], n);
        }
        System.out.printf("hybrid overhead: p50 %+.0f %%, mean %+.0f %% vs BCJSSE x25519; p50 %+.0f %%, mean %+.0f %%"
                        + " vs JDK x25519%n",
                100.0 * t[2][n / 2] / t[1][n / 2] - 100, 100 * (mean[2] / mean[1] - 1),
                100.0 * t[2][n / 2] / t[0][n / 2] - 100, 100 * (mean[2] / mean[0] - 1));
        System.out.printf("OpenSSL hybrid overhead: p50 %+.0f %%, mean %+.0f %% vs OpenSSL x25519; p50 %+.0f %%,"
                        + " mean %+.0f %% vs JDK x25519%n",
                100.0 * t[4][n / 2] / t[3][n / 2] - 100, 100 * (mean[4] / mean[3] - 1),
                100.0 * t[4][n / 2] / t[0][n / 2] - 100, 100 * (mean[4] / mean[0] - 1));
    }

    private static String[] concat(String first, List<String> rest) {
        String[] out = new String[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            out[i + 1] = rest.get(i);
        }
        return out;
    }

    /** {@code opensslGroups} non-null: BoringSSL (netty-tcnative) with those groups, as the tunnel sets them. */
    private static SslContext context(SslContextBuilder b, Provider p, String[] opensslGroups) throws Exception {
        if (p != null) {
            b.sslContextProvider(p);
        }
        if (opensslGroups != null) {
            b.sslProvider(SslProvider.OPENSSL).option(OpenSslContextOption.GROUPS, opensslGroups);
        } else {
            b.sslProvider(SslProvider.JDK);
        }
        return b.protocols("TLSv1.3")
                .ciphers(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"))
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
    }

    private static KeyManagerFactory keyManagers(Path cert, Path key, Provider bc) throws Exception {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(cert)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem))), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", bc);
        kmf.init(ks, new char[0]);
        return kmf;
    }

    private static void handshake(SslContext clientContext, SslContext serverContext, String[] groups)
            throws Exception {
        SSLEngine c = clientContext.newEngine(UnpooledByteBufAllocator.DEFAULT, "localhost", 8443);
        SSLEngine s = serverContext.newEngine(UnpooledByteBufAllocator.DEFAULT);
        for (SSLEngine e : List.of(c, s)) {
            if (groups != null) { // JSSE: per engine, as the tunnel does; OpenSSL has them on the context
                SSLParameters p = e.getSSLParameters();
                p.setNamedGroups(groups);
                e.setSSLParameters(p);
            }
            e.beginHandshake();
        }
        try {
            run(c, s);
        } finally {
            ReferenceCountUtil.release(c); // OpenSSL engines: free BoringSSL's state now (no-op for JSSE)
            ReferenceCountUtil.release(s);
        }
    }

    private static void run(SSLEngine c, SSLEngine s) throws Exception {
        ByteBuffer cToS = ByteBuffer.allocate(65536), sToC = ByteBuffer.allocate(65536), app = ByteBuffer.allocate(65536);
        for (int i = 0; i < 200; i++) {
            boolean progress = step(c, cToS, sToC, app) | step(s, sToC, cToS, app);
            if (done(c) && done(s)) {
                return;
            }
            if (!progress) {
                throw new IllegalStateException("handshake stalled: " + c.getHandshakeStatus() + " / "
                        + s.getHandshakeStatus());
            }
        }
        throw new IllegalStateException("handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus h = e.getHandshakeStatus();
        return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
    }

    private static boolean step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
        boolean progress = false;
        while (true) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable r;
                    while ((r = e.getDelegatedTask()) != null) {
                        r.run();
                    }
                    progress = true;
                }
                case NEED_WRAP -> {
                    var r = e.wrap(ByteBuffer.allocate(0), out);
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return progress;
                    }
                    progress = true;
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    var r = e.unwrap(in, app);
                    in.compact();
                    app.clear();
                    if (r.bytesConsumed() == 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                            && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                        return progress;
                    }
                    progress = true;
                }
                default -> {
                    return progress;
                }
            }
        }
    }
}
