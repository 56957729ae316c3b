package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.Gateway;
import java.io.IOException;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tunnel end to end with each {@code tls.provider}: OpenSSL (the default where it loads) with mutual TLS and with
 * a bearer token, JSSE when asked for, and OpenSSL against BouncyCastle's JSSE with the post-quantum hybrid. Each
 * carries bulk data byte-identically both ways.
 */
class TunnelTlsProviderTest {

    @RegisterExtension
    static final TunnelGateways gateways = new TunnelGateways();

    @Test
    void openSslCarriesAStreamByteIdenticallyWithMutualTls() throws Exception {
        int echo = gateways.echoTarget();
        Gateway server = gateways.start("""
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: 0}
                  tls: {cert: %s, key: %s, client_ca: %s, provider: openssl}
                  allow: ["127.0.0.1:%d"]
                """.formatted(gateways.certs().serverCert(), gateways.certs().serverKey(), gateways.certs().ca(),
                echo));
        Gateway client = gateways.client(server, listener(echo), "", null, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.readiness().isReady());
        assertBulkEchoes(client);
        assertProvider(server, "server", "openssl");
        assertProvider(client, "client", "openssl");
    }

    @Test
    void openSslIsTheDefaultAndCarriesAStreamByteIdenticallyWithAToken() throws Exception {
        int echo = gateways.echoTarget();
        Gateway server = gateways.server(0, "127.0.0.1:" + echo, "");
        Gateway client = gateways.client(server, listener(echo), "");
        assertBulkEchoes(client);
        assertProvider(server, "server", "openssl");
        assertProvider(client, "client", "openssl");
    }

    @Test
    void jdkProviderStillCarriesAStreamAndTalksToAnOpenSslPeer() throws Exception {
        int echo = gateways.echoTarget();
        Gateway server = gateways.server(0, "127.0.0.1:" + echo, "");
        Gateway client = gateways.start("""
                tunnel:
                  role: client
                  server: {host: 127.0.0.1, port: %d, server_name: localhost}
                  tls: {ca: %s, provider: jdk}
                  token: %s
                  listeners:
                    - %s
                """.formatted(server.localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort(), gateways.certs().ca(),
                TunnelGateways.TOKEN, listener(echo)));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.readiness().isReady());
        assertBulkEchoes(client);
        assertProvider(client, "client", "jdk");
        assertProvider(server, "server", "openssl");
    }

    @Test
    void anOpenSslClientGetsThroughABouncyCastleServerWithTheHybridGroupOnly() throws Exception {
        int echo = gateways.echoTarget();
        // the server offers nothing but X25519MLKEM768 (plus the NIST curves BCJSSE needs for ECDSA signatures)
        Gateway server = gateways.start("""
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: 0}
                  tls: {cert: %s, key: %s, named_groups: [X25519MLKEM768], provider: jdk}
                  tokens: [%s]
                  allow: ["127.0.0.1:%d"]
                """.formatted(gateways.certs().serverCert(), gateways.certs().serverKey(), TunnelGateways.TOKEN,
                echo));
        Gateway client = gateways.client(server, listener(echo), "", TunnelGateways.TOKEN, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.readiness().isReady());
        assertBulkEchoes(client);
        assertProvider(server, "server", "bcjsse");
        assertProvider(client, "client", "openssl");
    }

    private static String listener(int echo) {
        return "{name: app, port: 0, target: \"127.0.0.1:" + echo + "\"}";
    }

    /** 8 MB of random bytes through the tunnel to the echo target and back, compared by digest. */
    private static void assertBulkEchoes(Gateway client) throws Exception {
        byte[] data = new byte[8_000_000];
        new Random(42).nextBytes(data);
        try (Socket socket = new Socket("127.0.0.1", client.localAddress("app").getPort())) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(data);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] back = socket.getInputStream().readAllBytes();
            writer.join();
            assertThat(back.length).isEqualTo(data.length);
            assertThat(MessageDigest.getInstance("SHA-256").digest(back))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    private static void assertProvider(Gateway gateway, String role, String provider) {
        assertThat(gateway.tunnelMetrics().tlsProvider()).as("sluice_tunnel_tls_provider of the %s", role)
                .isEqualTo(provider);
    }
}
