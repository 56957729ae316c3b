package io.sluice.gateway.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TCP connections relayed whole: bytes identical both ways, half-close passed on, backends balanced. */
class TcpForwardingTest {

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
    void relaysBulkDataByteIdenticalBothWays() throws Exception {
        relaysBulkData("off");
    }

    @Test
    void splicedRelayKeepsEveryByte() throws Exception {
        relaysBulkData("auto");
    }

    private void relaysBulkData(String splice) throws Exception {
        int echo = server("echo", socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
        int port = start("""
                tcp:
                  - name: echo
                    port: 0
                    splice: %s
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(splice, echo), "echo");
        byte[] data = new byte[20_000_000];
        new Random(3).nextBytes(data);
        try (Socket socket = new Socket("127.0.0.1", port)) {
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
            assertThat(sha(back)).isEqualTo(sha(data));
        }
        double spliced = gateway.metrics().registry().get("sluice.l4.spliced").counter().count();
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        assertThat(spliced).isEqualTo(splice.equals("auto") && epoll ? 2.0 : 0.0); // both directions moved 20 MB
    }

    @Test
    void passesHalfCloseSoTheBackendCanStillAnswer() throws Exception {
        int backend = server("counter", socket -> {
            long n = socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client's FIN
            socket.getOutputStream().write(("got " + n).getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
        });
        int port = start("tcp:\n  - name: half\n    port: 0\n    backends: [{host: 127.0.0.1, port: %d}]\n"
                .formatted(backend), "half");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(new byte[12345]);
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got 12345");
        }
    }

    @Test
    void answersAfterTheClientsFinArriveWholeWhenCopying() throws Exception {
        answersAfterTheClientsFin("off");
    }

    @Test
    void answersAfterTheClientsFinArriveWholeWhenSpliced() throws Exception {
        answersAfterTheClientsFin("auto");
    }

    /**
     * The client sends 3 MB and its FIN; only then does the backend answer with 8 MB, more than the sockets buffer,
     * so the proxy must ask epoll for writability on a channel whose input is already shut (see EpollInterest).
     */
    private void answersAfterTheClientsFin(String splice) throws Exception {
        byte[] response = new byte[8_000_000];
        new Random(5).nextBytes(response);
        int backend = server("counter", socket -> {
            long n = socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client's FIN
            socket.getOutputStream().write(("got " + n + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(response);
            socket.shutdownOutput();
        });
        int port = start("tcp:\n  - name: half\n    port: 0\n    splice: %s\n    backends: [{host: 127.0.0.1, port: %d}]\n"
                .formatted(splice, backend), "half");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(new byte[3_000_000]);
            socket.shutdownOutput();
            byte[] back = socket.getInputStream().readAllBytes();
            byte[] head = "got 3000000\n".getBytes(StandardCharsets.UTF_8);
            assertThat(back.length).isEqualTo(head.length + response.length);
            assertThat(Arrays.copyOf(back, head.length)).isEqualTo(head);
            assertThat(sha(Arrays.copyOfRange(back, head.length, back.length))).isEqualTo(sha(response));
        }
    }

    @Test
    void spreadsConnectionsOverTheGroup() throws Exception {
        int a = server("a", socket -> socket.getOutputStream().write('a'));
        int b = server("b", socket -> socket.getOutputStream().write('b'));
        int port = start("""
                tcp:
                  - name: group
                    port: 0
                    algorithm: round_robin
                    backends: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                """.formatted(a, b), "group");
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                seen.append((char) socket.getInputStream().read());
            }
        }
        assertThat(seen.chars().filter(c -> c == 'a').count()).isEqualTo(2);
        assertThat(seen.chars().filter(c -> c == 'b').count()).isEqualTo(2);
    }

    @Test
    void closesTheClientWhenTheBackendRefuses() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = start("tcp:\n  - name: dead\n    port: 0\n    backends: [{host: 127.0.0.1, port: %d}]\n"
                .formatted(closed), "dead");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void sendsProxyProtocolV2WithTheClientAddress() throws Exception {
        List<byte[]> headers = new CopyOnWriteArrayList<>();
        int backend = server("pp", socket -> {
            InputStream in = socket.getInputStream();
            byte[] fixed = in.readNBytes(16);
            int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
            byte[] addresses = in.readNBytes(length);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(fixed);
            all.write(addresses);
            headers.add(all.toByteArray());
            socket.getOutputStream().write(in.readNBytes(5));
        });
        int port = start("""
                tcp:
                  - name: pp
                    port: 0
                    proxy_protocol: true
                    backends: [{host: 127.0.0.1, port: %d}]
                """.formatted(backend), "pp");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
            byte[] header = headers.get(0);
            byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
            assertThat(Arrays.copyOf(header, 12)).isEqualTo(signature);
            assertThat(header[12]).isEqualTo((byte) 0x21); // version 2, PROXY
            assertThat(header[13]).isEqualTo((byte) 0x11); // TCP over IPv4
            int sourcePort = ((header[24] & 0xff) << 8) | (header[25] & 0xff);
            assertThat(sourcePort).isEqualTo(socket.getLocalPort());
        }
    }

    private int start(String yaml, String listener) throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("server:\n  workers: 2\n  listeners:\n    - name: http\n"
                + "      port: 0\nadmin:\n  port: 0\n" + yaml, "test"));
        return gateway.localAddress(listener).getPort();
    }

    private interface Session {
        void serve(Socket socket) throws IOException;
    }

    /** A blocking TCP server on loopback, one virtual thread per connection. */
    private int server(String name, Session session) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread.ofVirtual().name(name).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
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

    private static String sha(byte[] bytes) throws Exception {
        return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @SuppressWarnings("unused")
    private static void unused(Consumer<Object> c) {}
}
