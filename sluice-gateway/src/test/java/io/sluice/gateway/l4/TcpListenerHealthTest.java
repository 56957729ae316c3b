package io.sluice.gateway.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tcp listener's group follows active checks and passive ejection; connect and idle timeouts close clients. */
class TcpListenerHealthTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void skipsABackendThatActiveChecksFindDown() throws Exception {
        int up = server('u');
        int down = freePort();
        int port = start("""
                tcp:
                  - name: checked
                    port: 0
                    algorithm: round_robin
                    health_checks: {interval: 1s, timeout: 500ms, unhealthy_threshold: 1}
                    backends: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                """.formatted(up, down), "checked");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.metrics().registry()
                .find("sluice.backend.up").tag("backend", "127.0.0.1:" + down).gauge() != null
                && gateway.metrics().registry().find("sluice.backend.up").tag("backend", "127.0.0.1:" + down)
                .gauge().value() == 0);
        for (int i = 0; i < 6; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                assertThat(socket.getInputStream().read()).isEqualTo('u');
            }
        }
        assertThat(gateway.readiness().status().ready()).isTrue();
    }

    @Test
    void isNotReadyWhileEveryBackendOfAListenerIsDown() throws Exception {
        int down = freePort();
        start("""
                tcp:
                  - name: dead
                    port: 0
                    health_checks: {interval: 1s, timeout: 500ms, unhealthy_threshold: 1}
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(down), "dead");
        await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.readiness().status().ready());
        assertThat(gateway.readiness().status().reasons()).contains("tcp listener dead has no usable backend");
    }

    @Test
    void ejectsABackendWhoseConnectsFail() throws Exception {
        int up = server('u');
        int down = freePort();
        int port = start("""
                tcp:
                  - name: passive
                    port: 0
                    algorithm: round_robin
                    health_checks: {enabled: false}
                    outlier_detection: {consecutive_failures: 1, base_ejection_time: 60s}
                    backends: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                """.formatted(up, down), "passive");
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                if (socket.getInputStream().read() == -1) {
                    refused++;
                }
            }
        }
        assertThat(refused).isEqualTo(1); // the first try at the dead backend ejects it
    }

    @Test
    void closesTheClientWhenTheBackendDoesNotAnswerWithinTheConnectTimeout() throws Exception {
        // A listen queue that is full drops further SYNs, so a connect to it hangs until the timeout.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeables.add(full);
        for (int i = 0; i < 4; i++) {
            SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()));
            closeables.add(filler);
        }
        gateway = Gateway.start(ConfigLoader.parse("""
                server: {workers: 2, listeners: [{name: http, port: 0}]}
                admin: {port: 0}
                timeouts: {connect: 300ms}
                tcp:
                  - name: slow
                    port: 0
                    health_checks: {enabled: false}
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(full.getLocalPort()), "test"));
        try (Socket socket = new Socket("127.0.0.1", gateway.port("slow"))) {
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(gateway.metrics().registry().get("sluice.l4.connect.failures").counter().count()).isEqualTo(1.0);
    }

    @Test
    void closesAConnectionIdleForTheIdleTimeout() throws Exception {
        int silent = server(-1);
        int port = start("""
                tcp:
                  - name: idle
                    port: 0
                    idle_timeout: 1s
                    health_checks: {enabled: false}
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(silent), "idle");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
        }
    }

    private int start(String yaml, String listener) throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("server:\n  workers: 2\n  listeners:\n    - name: http\n"
                + "      port: 0\nadmin:\n  port: 0\n" + yaml, "test"));
        return gateway.localAddress(listener).getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Writes {@code mark} (unless negative) to each connection, then holds it open until the peer closes. */
    private int server(int mark) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            if (mark >= 0) {
                                socket.getOutputStream().write(mark);
                                socket.getOutputStream().flush();
                            }
                            socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (IOException ignored) {
                            // the peer went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }
}
