package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.core.config.ConfigLoader;
import io.sluice.core.config.TunnelConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which TLS provider and groups the tunnel uses, and proof on the wire (an in-memory handshake between the engines
 * the tunnel would use) that asking for X25519MLKEM768 puts an ML-KEM-768 key share in the handshake.
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
    void theJdkIsUsedUnlessTheGroupsNeedBouncyCastle() throws Exception {
        assertThat(TunnelTls.providerFor(List.of())).isNull();
        assertThat(TunnelTls.providerFor(List.of("x25519", "secp256r1"))).isNull();
        assertThat(TunnelTls.providerFor(List.of("X25519MLKEM768", "x25519")).getName()).isEqualTo("BCJSSE");
        assertThat(TunnelTls.effectiveGroups(List.of("X25519MLKEM768")))
                .containsExactly("X25519MLKEM768", "secp256r1", "secp384r1", "secp521r1");
        assertThat(TunnelTls.effectiveGroups(List.of("x25519"))).containsExactly("x25519");
        assertThatThrownBy(() -> TunnelTls.providerFor(List.of("nosuchgroup")))
                .isInstanceOf(SSLException.class).hasMessageContaining("none of [nosuchgroup]");
    }

    @Test
    void theHybridGroupPutsAnMlKemKeyShareOnTheWire() throws Exception {
        int[] classical = handshake("x25519");
        int[] hybrid = handshake("X25519MLKEM768");
        // ClientHello: an X25519MLKEM768 share is 1,184 (ML-KEM-768 key) + 32 bytes instead of 32;
        // ServerHello: 1,088 (ciphertext) + 32 instead of 32. Provider differences are a few dozen bytes.
        assertThat(hybrid[0] - classical[0]).isBetween(1_000, 1_500);
        assertThat(hybrid[1] - classical[1]).isBetween(900, 1_400);
    }

    /** Bytes the client and the server wrapped during one in-memory handshake with {@code group} on both ends. */
    private static int[] handshake(String group) throws Exception {
        TunnelConfig server = ConfigLoader.parse("""
                tunnel:
                  role: server
                  listen: {port: 0}
                  tls: {cert: %s, key: %s, named_groups: [%s]}
                  tokens: [0123456789abcdef]
                  allow: ["*:*"]
                """.formatted(certs.serverCert(), certs.serverKey(), group), "test").tunnel().orElseThrow();
        TunnelConfig client = ConfigLoader.parse("""
                tunnel:
                  role: client
                  server: {host: localhost, port: 1}
                  tls: {ca: %s, named_groups: [%s]}
                  listeners: [{name: a, port: 0, target: "a:1"}]
                """.formatted(certs.ca(), group), "test").tunnel().orElseThrow();
        SSLEngine s = TunnelTls.server(server).newHandler(UnpooledByteBufAllocator.DEFAULT, null, 0).engine();
        SSLEngine c = TunnelTls.client(client).newHandler(UnpooledByteBufAllocator.DEFAULT, "localhost", 1).engine();
        return run(c, s);
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
