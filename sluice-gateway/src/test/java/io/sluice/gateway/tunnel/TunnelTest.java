package io.sluice.gateway.tunnel;

import static io.sluice.gateway.tunnel.TunnelGateways.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tunnel end to end on loopback: a client gateway's TCP listener, HTTP/2 extended CONNECT over TLS to a server
 * gateway, and a plain TCP target behind it.
 */
class TunnelTest {

    private static final String TOKEN = TunnelGateways.TOKEN;

    @RegisterExtension
    static final TunnelGateways gateways = new TunnelGateways();

    @Test
    void carriesEchoAndBulkDataByteIdenticalWithHalfClose() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "", "127.0.0.1:" + echo);
        Gateway client = client(server, "127.0.0.1:" + echo, "");
        int port = client.localAddress("app").getPort();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(socket.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        }

        byte[] data = new byte[20_000_000];
        new Random(9).nextBytes(data);
        byte[] back = sendAllAndReadBack(port, data);
        assertThat(back.length).isEqualTo(data.length);
        assertThat(sha(back)).isEqualTo(sha(data));
        TunnelMetrics m = server.tunnelMetrics();
        assertThat(m.handshake().count()).isZero(); // the server side records no handshake of its own
        assertThat(client.tunnelMetrics().handshake().count()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> m.activeStreams() == 0
                && client.tunnelMetrics().activeStreams() == 0);
    }

    @Test
    void halfClosePassesEndStreamSoTheTargetCanStillAnswer() throws Exception {
        byte[] answer = new byte[8_000_000]; // more than the sockets buffer: written after the client's FIN
        new Random(4).nextBytes(answer);
        int counter = gateways.target("counter", s -> {
            long n = s.getInputStream().transferTo(OutputStream.nullOutputStream());
            s.getOutputStream().write(("got " + n + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(answer);
            s.shutdownOutput();
        });
        Gateway server = server(0, "", "127.0.0.1:" + counter);
        Gateway client = client(server, "127.0.0.1:" + counter, "");
        try (Socket socket = new Socket("127.0.0.1", client.localAddress("app").getPort())) {
            socket.getOutputStream().write(new byte[12345]);
            socket.shutdownOutput();
            byte[] back = socket.getInputStream().readAllBytes();
            byte[] head = "got 12345\n".getBytes(StandardCharsets.UTF_8);
            assertThat(back.length).isEqualTo(head.length + answer.length);
            assertThat(new String(back, 0, head.length, StandardCharsets.UTF_8)).isEqualTo("got 12345\n");
            assertThat(sha(java.util.Arrays.copyOfRange(back, head.length, back.length))).isEqualTo(sha(answer));
        }
    }

    @Test
    void refusesTheStreamBeyondTheServerCapWhileTheOthersContinue() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "  max_concurrent_streams: 3\n", "127.0.0.1:" + echo);
        Gateway client = client(server, "127.0.0.1:" + echo, "");
        int port = client.localAddress("app").getPort();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket("127.0.0.1", port);
                open.add(s);
                roundTrip(s, "first-" + i);
            }
            assertClosedWithoutAnswer(port);
            assertThat(server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.LIMIT)).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                roundTrip(open.get(i), "still-" + i);
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void reconnectsAfterAServerRestartAndIsNotReadyWhileDisconnected() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "", "127.0.0.1:" + echo);
        int serverPort = server.localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort();
        Gateway client = client(server, "127.0.0.1:" + echo, "  retry_max_backoff: 500ms\n");
        int port = client.localAddress("app").getPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.readiness().isReady());

        try (Socket during = new Socket("127.0.0.1", port)) {
            roundTrip(during, "before");
            gateways.closedByTest(server);
            server.close(); // mid-traffic: the carried connection dies with the tunnel
            during.setSoTimeout(10_000);
            assertThat(during.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.readiness().isReady());
        assertThat(client.readiness().status().reasons()).contains("no tunnel connection up");

        server(serverPort, "", "127.0.0.1:" + echo);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.readiness().isReady());
        try (Socket after = new Socket("127.0.0.1", port)) {
            roundTrip(after, "after");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> client.tunnelMetrics().connectionsUp() == 2);
        assertThat(client.tunnelMetrics().connectionsUp()).isEqualTo(2);
    }

    @Test
    void refusesAWrongTokenAndATargetOutsideTheAllowList() throws Exception {
        int echo = echoTarget();
        int other = echoTarget();
        Gateway server = server(0, "", "127.0.0.1:" + echo);

        Gateway forbidden = client(server, "127.0.0.1:" + other, "");
        assertClosedWithoutAnswer(forbidden.localAddress("app").getPort());
        assertThat(server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.FORBIDDEN)).isEqualTo(1);

        Gateway stranger = client(server, "127.0.0.1:" + echo, "", "wrong-token-0123456789", false);
        assertClosedWithoutAnswer(stranger.localAddress("app").getPort());
        assertThat(server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.UNAUTHENTICATED)).isEqualTo(1);
        assertThat(stranger.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.SERVER_REFUSED)).isEqualTo(1);
    }

    @Test
    void mutualTlsAdmitsACertifiedClientAndNeverConnectsOneWithoutACertificate() throws Exception {
        int echo = echoTarget();
        Gateway server = start("""
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: 0}
                  tls: {cert: %s, key: %s, client_ca: %s}
                  allow: ["127.0.0.1:%d"]
                """.formatted(gateways.certs().serverCert(), gateways.certs().serverKey(), gateways.certs().ca(), echo));
        Gateway certified = client(server, "127.0.0.1:" + echo, "", null, true);
        try (Socket s = new Socket("127.0.0.1", certified.localAddress("app").getPort())) {
            roundTrip(s, "certified");
        }
        Gateway anonymous = client(server, "127.0.0.1:" + echo, "  max_retry_attempts: 1\n", null, false);
        Thread.sleep(500);
        assertThat(anonymous.readiness().isReady()).isFalse();
        assertThat(anonymous.tunnelMetrics().connectionsUp()).isZero();
    }

    @Test
    void packetWorkersSizeTheTunnelsOwnEventLoopGroupAndAProfileSetsIt() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "  performance: {profile: constrained}\n", "127.0.0.1:" + echo);
        Gateway client = client(server, "127.0.0.1:" + echo, "  packet_workers: 3\n");
        assertThat(server.tunnelEventLoops()).isEqualTo(1);
        assertThat(client.tunnelEventLoops()).isEqualTo(3);
        try (Socket s = new Socket("127.0.0.1", client.localAddress("app").getPort())) {
            roundTrip(s, "through one server loop");
        }
    }

    @Test
    void zstdNegotiatedPerStreamCarriesBytesIdenticallyBothWaysAndCompresses() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "  compression: {enabled: true}\n", "127.0.0.1:" + echo);
        Gateway client = client(server, "127.0.0.1:" + echo, "  compression: {enabled: true, level: 1}\n");
        int port = client.localAddress("app").getPort();
        try (Socket s = new Socket("127.0.0.1", port)) {
            roundTrip(s, "interactive: each chunk is flushed, so a line comes back without more input");
        }
        // Compressible text, then random bytes: both must come back identical, with END_STREAM both ways.
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 6_000_000; i++) {
            text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        byte[] random = new byte[3_000_000];
        new Random(4).nextBytes(random);
        for (byte[] data : List.of(text.toString().getBytes(StandardCharsets.UTF_8), random)) {
            byte[] back = sendAllAndReadBack(port, data);
            assertThat(back.length).isEqualTo(data.length);
            assertThat(sha(back)).isEqualTo(sha(data));
        }
        assertThat(client.tunnelMetrics().zstdStreams()).isEqualTo(3);
        assertThat(server.tunnelMetrics().zstdStreams()).isEqualTo(3);
        double[] up = client.tunnelMetrics().zstdBytes(true);
        assertThat(up[0]).isGreaterThan(9_000_000);
        assertThat(up[1]).isLessThan(up[0] * 0.6); // the text compresses well, the random bytes do not
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tunnelMetrics().activeStreams() == 0);
    }

    @Test
    void zstdIsNotUsedWhenTheServerDoesNotAcceptIt() throws Exception {
        int echo = echoTarget();
        Gateway server = server(0, "", "127.0.0.1:" + echo);
        Gateway client = client(server, "127.0.0.1:" + echo, "  compression: {enabled: true}\n");
        try (Socket s = new Socket("127.0.0.1", client.localAddress("app").getPort())) {
            roundTrip(s, "plain");
        }
        assertThat(client.tunnelMetrics().zstdStreams()).isZero();
        assertThat(server.tunnelMetrics().zstdStreams()).isZero();
    }

    @Test
    void postQuantumHybridKeyExchangeIsNegotiatedWhenBothEndsAskForIt() throws Exception {
        int echo = echoTarget();
        // The server offers the hybrid (plus the NIST curves BCJSSE needs for ECDSA signatures), not x25519: a client
        // asking for the hybrid gets in, a classical x25519-only client does not. TunnelTlsTest shows the key share.
        Gateway server = start("""
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: 0}
                  tls: {cert: %s, key: %s, named_groups: [X25519MLKEM768]}
                  tokens: [%s]
                  allow: ["127.0.0.1:%d"]
                """.formatted(gateways.certs().serverCert(), gateways.certs().serverKey(), TOKEN, echo));
        int port = server.localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort();
        String client = """
                tunnel:
                  role: client
                  server: {host: 127.0.0.1, port: %d, server_name: localhost}
                  tls: {ca: %s, named_groups: [%s]}
                  token: %s
                  max_retry_attempts: 1
                  listeners:
                    - {name: app, port: 0, target: "127.0.0.1:%d"}
                """;
        Gateway hybrid = start(client.formatted(port, gateways.certs().ca(), "X25519MLKEM768, x25519", TOKEN, echo));
        await().atMost(Duration.ofSeconds(20)).until(() -> hybrid.readiness().isReady());
        try (Socket s = new Socket("127.0.0.1", hybrid.localAddress("app").getPort())) {
            roundTrip(s, "post-quantum");
        }
        Gateway classical = start(client.formatted(port, gateways.certs().ca(), "x25519", TOKEN, echo));
        Thread.sleep(1000);
        assertThat(classical.tunnelMetrics().connectionsUp()).isZero(); // no group in common
        assertThat(classical.readiness().isReady()).isFalse();
    }

    // ---- helpers ----

    private static Gateway server(int port, String extra, String allowed) throws Exception {
        return gateways.server(port, allowed, extra);
    }

    private static Gateway client(Gateway server, String target, String extra) throws Exception {
        return gateways.client(server, appListener(target), extra);
    }

    private static Gateway client(Gateway server, String target, String extra, String token, boolean certificate)
            throws Exception {
        return gateways.client(server, appListener(target), extra, token, certificate);
    }

    private static String appListener(String target) {
        return "{name: app, port: 0, target: \"" + target + "\"}";
    }

    private static Gateway start(String yaml) throws Exception {
        return gateways.start(yaml);
    }

    private static int echoTarget() throws IOException {
        return gateways.echoTarget();
    }

    /** Writes {@code data} and the FIN from one thread while reading everything that comes back. */
    private static byte[] sendAllAndReadBack(int port, byte[] data) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(data);
                    socket.shutdownOutput(); // FIN -> END_STREAM -> the target's read ends -> its FIN comes back
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] back = socket.getInputStream().readAllBytes();
            writer.join();
            return back;
        }
    }

    private static void assertClosedWithoutAnswer(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                in.transferTo(got);
            } catch (IOException reset) {
                // a reset is as good as a close here
            }
            assertThat(got.size()).isZero();
        }
    }

    static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
