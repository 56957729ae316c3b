package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.core.config.ConfigLoader;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.config.TunnelConfig;
import io.sluice.core.config.TunnelConfig.TlsProvider;
import io.sluice.gateway.tunnel.TunnelTls.Implementation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which TLS implementation and groups the tunnel uses, and proof on the wire (an in-memory handshake between the
 * engines the tunnel would use) that asking for X25519MLKEM768 puts an ML-KEM-768 key share in the handshake, with
 * OpenSSL, with BouncyCastle's JSSE, and between the two.
 */
class TunnelTlsTest {

    @TempDir
    static Path certDir;
    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(certDir);
    }

    @Test
    void withJsseTheJdkIsUsedUnlessTheGroupsNeedBouncyCastle() throws Exception {
        assertThat(TunnelTls.jsseFor(List.of())).isNull();
        assertThat(TunnelTls.jsseFor(List.of("x25519", "secp256r1"))).isNull();
        assertThat(TunnelTls.jsseFor(List.of("X25519MLKEM768", "x25519")).getName()).isEqualTo("BCJSSE");
        assertThat(TunnelTls.choose(TlsProvider.JDK, List.of("x25519"))).isEqualTo(Implementation.JDK);
        assertThat(TunnelTls.choose(TlsProvider.JDK, List.of("X25519MLKEM768"))).isEqualTo(Implementation.BCJSSE);
        assertThat(TunnelTls.effectiveGroups(List.of("X25519MLKEM768"), Implementation.BCJSSE))
                .containsExactly("X25519MLKEM768", "secp256r1", "secp384r1", "secp521r1");
        assertThat(TunnelTls.effectiveGroups(List.of("x25519"), Implementation.JDK)).containsExactly("x25519");
        assertThatThrownBy(() -> TunnelTls.jsseFor(List.of("nosuchgroup")))
                .isInstanceOf(SSLException.class).hasMessageContaining("none of [nosuchgroup]");
    }

    @Test
    void autoTakesOpenSslWhenItKnowsEveryGroupElseFallsBackToJsse() throws Exception {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative BoringSSL loads on this platform").isTrue();
        assertThat(TunnelTls.choose(TlsProvider.AUTO, List.of())).isEqualTo(Implementation.OPENSSL);
        assertThat(TunnelTls.choose(TlsProvider.AUTO, List.of("X25519MLKEM768", "x25519")))
                .isEqualTo(Implementation.OPENSSL);
        assertThat(TunnelTls.effectiveGroups(List.of("X25519MLKEM768"), Implementation.OPENSSL))
                .containsExactly("X25519MLKEM768"); // BoringSSL ties no signature scheme to a group
        // a hybrid BouncyCastle has and this BoringSSL lacks: auto falls back to BCJSSE, openssl refuses to start
        assertThat(TunnelTls.openSslKnows("SecP256r1MLKEM768")).isFalse();
        assertThat(TunnelTls.choose(TlsProvider.AUTO, List.of("SecP256r1MLKEM768", "x25519")))
                .isEqualTo(Implementation.BCJSSE);
        assertThatThrownBy(() -> TunnelTls.choose(TlsProvider.OPENSSL, List.of("SecP256r1MLKEM768", "x25519")))
                .isInstanceOf(SSLException.class).hasMessageContaining("[SecP256r1MLKEM768] not supported by");
        assertThat(TunnelTls.choose(TlsProvider.OPENSSL, List.of("x25519", "secp256r1")))
                .isEqualTo(Implementation.OPENSSL);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void theHybridGroupPutsAnMlKemKeyShareOnTheWire(TlsProvider provider) throws Exception {
        int[] classical = handshake("x25519", provider, provider);
        int[] hybrid = handshake("X25519MLKEM768", provider, provider);
        // ClientHello: an X25519MLKEM768 share is 1,184 (ML-KEM-768 key) + 32 bytes instead of 32;
        // ServerHello: 1,088 (ciphertext) + 32 instead of 32. Provider differences are a few dozen bytes.
        assertThat(hybrid[0] - classical[0]).isBetween(1_000, 1_500);
        assertThat(hybrid[1] - classical[1]).isBetween(900, 1_400);
    }

    @Test
    void anOpenSslClientAndABouncyCastleServerAgreeOnTheHybrid() throws Exception {
        int[] classical = handshake("x25519", TlsProvider.OPENSSL, TlsProvider.JDK);
        int[] hybrid = handshake("X25519MLKEM768", TlsProvider.OPENSSL, TlsProvider.JDK);
        assertThat(hybrid[1] - classical[1]).isBetween(900, 1_400); // the server's share: an ML-KEM ciphertext
    }

    /**
     * Bytes the client and the server wrapped during one in-memory handshake with {@code group} on both ends, each
     * with its {@code tls.provider}.
     */
    private static int[] handshake(String group, TlsProvider clientProvider, TlsProvider serverProvider)
            throws Exception {
        TunnelConfig server = ConfigLoader.parse("""
                tunnel:
                  role: server
                  listen: {port: 0}
                  tls: {cert: %s, key: %s, named_groups: [%s], provider: %s}
                  tokens: [0123456789abcdef]
                  allow: ["*:*"]
                """.formatted(certs.serverCert(), certs.serverKey(), group, yaml(serverProvider)), "test")
                .tunnel().orElseThrow();
        TunnelConfig client = ConfigLoader.parse("""
                tunnel:
                  role: client
                  server: {host: localhost, port: 1}
                  tls: {ca: %s, named_groups: [%s], provider: %s}
                  listeners: [{name: a, port: 0, target: "a:1"}]
                """.formatted(certs.ca(), group, yaml(clientProvider)), "test").tunnel().orElseThrow();
        TunnelTls serverTls = TunnelTls.server(server);
        TunnelTls clientTls = TunnelTls.client(client);
        assertThat(serverTls.implementation().jsse()).isEqualTo(serverProvider == TlsProvider.JDK);
        assertThat(clientTls.implementation().jsse()).isEqualTo(clientProvider == TlsProvider.JDK);
        SslHandler s = serverTls.newHandler(UnpooledByteBufAllocator.DEFAULT, null, 0);
        SslHandler c = clientTls.newHandler(UnpooledByteBufAllocator.DEFAULT, "localhost", 1);
        try {
            return run(c.engine(), s.engine());
        } finally {
            ReferenceCountUtil.release(s.engine()); // no pipeline removes these handlers: free BoringSSL's state
            ReferenceCountUtil.release(c.engine());
        }
    }

    private static String yaml(TlsProvider provider) {
        return provider.name().toLowerCase(java.util.Locale.ROOT);
    }

    static int[] run(SSLEngine client, SSLEngine server) throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        int[] wrapped = new int[2];
        for (int i = 0; i < 1000 && !(done(client) && done(server)); i++) {
            step(client, toServer, toClient, app, wrapped, 0);
            step(server, toClient, toServer, app, wrapped, 1);
        }
        assertThat(done(client) && done(server)).as("handshake finished").isTrue();
        return wrapped;
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus h = e.getHandshakeStatus();
        return h == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || h == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app, int[] wrapped, int who)
            throws SSLException {
        while (true) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = e.wrap(ByteBuffer.allocate(0), out);
                    wrapped[who] += r.bytesProduced();
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    app.clear();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
                            && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }
}
