package io.sluice.gateway.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Datagrams forwarded per client session: replies reach the right client, queues and the table are bounded. */
class UdpForwardingTest {

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
    void echoesToManyClientsEachGettingItsOwnReplies() throws Exception {
        int echo = echoServer("", new AtomicInteger());
        int port = start("""
                udp:
                  - name: echo
                    port: 0
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(echo), "echo");
        int clients = 200;
        int rounds = 5;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                        socket.setSoTimeout(2_000);
                        for (int r = 0; r < rounds; r++) {
                            String text = "client " + id + " round " + r;
                            String back = exchange(socket, port, text, 3);
                            if (text.equals(back)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(rounds);
            }
        }
        MeterRegistry registry = gateway.metrics().registry();
        assertThat(registry.get("sluice.udp.sessions").counter().count()).isEqualTo(clients);
        assertThat(registry.get("sluice.udp.sessions.active").gauge().value()).isEqualTo(clients);
        assertThat(registry.get("sluice.udp.datagrams").tag("direction", "backend_to_client").counter().count())
                .isGreaterThanOrEqualTo(clients * rounds);
    }

    @Test
    void dropsAndCountsDatagramsBeyondTheSendQueue() throws Exception {
        AtomicInteger received = new AtomicInteger();
        int sink = echoServer(null, received);
        int port = start("""
                udp:
                  - name: flood
                    port: 0
                    queue_size: 1
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(sink), "flood");
        int sent = 20_000;
        byte[] payload = new byte[1200];
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < sent; i++) {
                socket.send(new DatagramPacket(payload, payload.length, to));
            }
        }
        MeterRegistry registry = gateway.metrics().registry();
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped(registry, "queue_full") > 0);
        double forwarded = registry.get("sluice.udp.datagrams").tag("direction", "client_to_backend").counter().count();
        assertThat(forwarded + dropped(registry, "queue_full")).isLessThanOrEqualTo(sent);
        assertThat(received.get()).isLessThanOrEqualTo((int) forwarded);
        assertThat(registry.get("sluice.udp.sessions").counter().count()).isEqualTo(1.0);
    }

    @Test
    void expiresIdleSessionsAndOpensANewOneOnTheNextDatagram() throws Exception {
        int echo = echoServer("", new AtomicInteger());
        int port = start("""
                udp:
                  - name: short
                    port: 0
                    idle_timeout: 300ms
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(echo), "short");
        MeterRegistry registry = gateway.metrics().registry();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(2_000);
            assertThat(exchange(socket, port, "one", 3)).isEqualTo("one");
            assertThat(registry.get("sluice.udp.sessions.active").gauge().value()).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.get("sluice.udp.sessions.active").gauge().value() == 0.0);
            assertThat(registry.get("sluice.udp.sessions.expired").counter().count()).isEqualTo(1.0);
            assertThat(exchange(socket, port, "two", 3)).isEqualTo("two");
            assertThat(registry.get("sluice.udp.sessions").counter().count()).isEqualTo(2.0);
        }
    }

    @Test
    void dropsDatagramsOfNewClientsWhileTheSessionTableIsFull() throws Exception {
        int echo = echoServer("", new AtomicInteger());
        int port = start("""
                udp:
                  - name: small
                    port: 0
                    max_sessions: 2
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(echo), "small");
        try (DatagramSocket a = socket(); DatagramSocket b = socket(); DatagramSocket c = socket()) {
            assertThat(exchange(a, port, "a", 3)).isEqualTo("a");
            assertThat(exchange(b, port, "b", 3)).isEqualTo("b");
            c.setSoTimeout(500);
            assertThat(exchange(c, port, "c", 1)).isNull();
            assertThat(exchange(a, port, "a again", 3)).isEqualTo("a again");
        }
        MeterRegistry registry = gateway.metrics().registry();
        assertThat(dropped(registry, "session_limit")).isEqualTo(1.0);
        assertThat(registry.get("sluice.udp.sessions.active").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void keepsAClientOnOneBackendForItsSession() throws Exception {
        int a = echoServer("a:", new AtomicInteger());
        int b = echoServer("b:", new AtomicInteger());
        int port = start("""
                udp:
                  - name: sticky
                    port: 0
                    algorithm: round_robin
                    backends: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                """.formatted(a, b), "sticky");
        try (DatagramSocket first = socket(); DatagramSocket second = socket()) {
            String one = exchange(first, port, "x", 3);
            String two = exchange(second, port, "x", 3);
            assertThat(List.of(one, two)).containsExactlyInAnyOrder("a:x", "b:x");
            for (int i = 0; i < 5; i++) {
                assertThat(exchange(first, port, "x", 3)).isEqualTo(one);
                assertThat(exchange(second, port, "x", 3)).isEqualTo(two);
            }
        }
    }

    private static double dropped(MeterRegistry registry, String reason) {
        return registry.get("sluice.udp.dropped").tag("reason", reason).counter().count();
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(2_000);
        return socket;
    }

    /** Sends {@code text} and returns the first reply, retrying on loss up to {@code tries} times; null if none. */
    private static String exchange(DatagramSocket socket, int port, String text, int tries) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        byte[] in = new byte[2048];
        for (int i = 0; i < tries; i++) {
            socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
            try {
                DatagramPacket reply = new DatagramPacket(in, in.length);
                socket.receive(reply);
                return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException lost) {
                // UDP: try again
            }
        }
        return null;
    }

    /** Echoes every datagram prefixed with {@code prefix}, or only counts them when {@code prefix} is null. */
    private int echoServer(String prefix, AtomicInteger received) throws IOException {
        DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[65_535];
            byte[] head = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
            while (!server.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    server.receive(p);
                    received.incrementAndGet();
                    if (prefix != null) {
                        byte[] reply = new byte[head.length + p.getLength()];
                        System.arraycopy(head, 0, reply, 0, head.length);
                        System.arraycopy(p.getData(), 0, reply, head.length, p.getLength());
                        server.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private int start(String yaml, String listener) throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("server:\n  workers: 2\n  listeners:\n    - name: http\n"
                + "      port: 0\nadmin:\n  port: 0\n" + yaml, "test"));
        return gateway.localAddress(listener).getPort();
    }
}
