package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tunnel gateways on loopback for end-to-end tests: a throwaway PKI per test class, server and client gateways with
 * the test token, TCP targets; everything a test starts is closed after it, last first.
 * Register as {@code @RegisterExtension static final TunnelGateways gateways = new TunnelGateways();}.
 */
final class TunnelGateways implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final String TOKEN = "test-token-0123456789";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Path certDir;
    private TestCertificates certs;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        certDir = Files.createTempDirectory("sluice-tunnel-certs");
        certs = TestCertificates.create(certDir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try (Stream<Path> files = Files.walk(certDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    TestCertificates certs() {
        return certs;
    }

    /** Closed after the test, before what was registered earlier. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Forgets {@code closeable}: the test closes it itself. */
    void closedByTest(AutoCloseable closeable) {
        closeables.remove(closeable);
    }

    /** A gateway with {@code yaml} (top-level blocks) after a minimal server and admin block. */
    Gateway start(String yaml) throws Exception {
        return closeLater(Gateway.start(ConfigLoader.parse("""
                server:
                  workers: 2
                  drain_timeout: 0s
                  listeners: [{name: http, host: 127.0.0.1, port: 0}]
                admin: {port: 0}
                health_checks: {enabled: false}
                """ + yaml, "test")));
    }

    /** A tunnel server on {@code port} (0: any) with the test token, allowing {@code allowed}; {@code extra} ends the block. */
    Gateway server(int port, String allowed, String extra) throws Exception {
        return start("""
                tunnel:
                  role: server
                  listen: {host: 127.0.0.1, port: %d}
                  tls: {cert: %s, key: %s}
                  tokens: [%s]
                  allow: ["%s"]
                """.formatted(port, certs.serverCert(), certs.serverKey(), TOKEN, allowed) + extra);
    }

    /**
     * A client of {@code server} with the test token and CA and one listener ({@code listener}: a flow-style YAML
     * entry), once its tunnel is up (a loaded machine may take seconds to warm TLS).
     */
    Gateway client(Gateway server, String listener, String extra) throws Exception {
        Gateway g = client(server, listener, extra, TOKEN, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> g.readiness().isReady());
        return g;
    }

    /** As {@link #client(Gateway, String, String)}, not waiting; {@code token} null for none. */
    Gateway client(Gateway server, String listener, String extra, String token, boolean certificate)
            throws Exception {
        int port = server.localAddress(Gateway.TUNNEL_SERVER_LISTENER).getPort();
        return start("""
                tunnel:
                  role: client
                  server: {host: 127.0.0.1, port: %d, server_name: localhost}
                  tls: {ca: %s%s}
                %s  listeners:
                    - %s
                """.formatted(port, certs.ca(),
                certificate ? ", cert: " + certs.clientCert() + ", key: " + certs.clientKey() : "",
                token == null ? "" : "  token: " + token + "\n", listener) + extra);
    }

    /** What a target does with one accepted connection. */
    interface Session {
        void serve(Socket socket) throws IOException;
    }

    /** A TCP target on loopback serving each connection on a virtual thread. */
    int target(String name, Session session) throws IOException {
        return target(name, new AtomicInteger(), session);
    }

    /** As {@link #target(String, Session)}, counting connections accepted in {@code accepted}. */
    int target(String name, AtomicInteger accepted, Session session) throws IOException {
        ServerSocket server = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name(name).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            session.serve(socket);
                        } catch (IOException ignored) {
                            // the test decides what a broken session means
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    /** A TCP target echoing what it reads. */
    int echoTarget() throws IOException {
        return target("echo", s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    /** Writes a line and asserts it comes back. */
    static void roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(bytes);
        assertThat(new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8))
                .isEqualTo(text + "\n");
    }
}
