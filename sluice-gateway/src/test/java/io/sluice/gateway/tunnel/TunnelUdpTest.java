package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONNECT-UDP (RFC 9298) through the tunnel on loopback: a client gateway's UDP listener, one extended-CONNECT
 * stream per client address carrying DATAGRAM capsules, and a UDP target behind the server gateway.
 */
class TunnelUdpTest {

    @RegisterExtension
    static final TunnelGateways gateways = new TunnelGateways();

    @Test
    void echoesDatagramsForManyClientsEachGettingItsOwnReplies() throws Exception {
        int echo = udpTarget(new AtomicInteger(), true);
        Gateway server = server("127.0.0.1:" + echo, "");
        Gateway client = client(server, "127.0.0.1:" + echo, "");
        InetSocketAddress listener = client.localAddress("dns");

        int clients = 40;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofVirtual().start(() -> {
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    for (int i = 0; i < 5; i++) {
                        String text = "client-" + id + "-datagram-" + i;
                        assertThat(roundTrip(socket, listener, text)).isEqualTo(text);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        TunnelMetrics m = client.tunnelMetrics();
        assertThat(m.udpSessionsActive()).isEqualTo(clients);
        assertThat(server.tunnelMetrics().udpSessionsActive()).isEqualTo(clients);
        assertThat(m.datagrams(true)).isGreaterThanOrEqualTo(clients * 5);
        assertThat(m.datagrams(false)).isGreaterThanOrEqualTo(clients * 5);
    }

    @Test
    void idleSessionsEndOnBothSidesAndANewDatagramOpensAnotherSession() throws Exception {
        int echo = udpTarget(new AtomicInteger(), true);
        Gateway server = server("127.0.0.1:" + echo, "  udp: {idle_timeout: 300ms}\n");
        Gateway client = client(server, "127.0.0.1:" + echo, "  udp: {idle_timeout: 300ms}\n");
        InetSocketAddress listener = client.localAddress("dns");
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(roundTrip(socket, listener, "one")).isEqualTo("one");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.tunnelMetrics().udpSessionsActive() == 0
                    && server.tunnelMetrics().udpSessionsActive() == 0
                    && client.tunnelMetrics().activeStreams() == 0 && server.tunnelMetrics().activeStreams() == 0);
            assertThat(roundTrip(socket, listener, "two")).isEqualTo("two");
        }
    }

    @Test
    void dropsAndCountsDatagramsBeyondTheSendQueueInsteadOfBufferingThem() throws Exception {
        AtomicInteger received = new AtomicInteger();
        int sink = udpTarget(received, false);
        Gateway server = server("127.0.0.1:" + sink, "");
        // queue_size 1: one datagram in flight per direction; a burst read in one batch cannot all fit.
        Gateway client = client(server, "127.0.0.1:" + sink, "  udp: {queue_size: 1}\n");
        InetSocketAddress listener = client.localAddress("dns");
        int sent = 3000;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] payload = new byte[1200];
            for (int i = 0; i < sent; i++) {
                socket.send(new DatagramPacket(payload, payload.length, listener));
            }
        }
        TunnelMetrics m = client.tunnelMetrics();
        await().atMost(Duration.ofSeconds(20)).until(() -> m.droppedCount(TunnelMetrics.DatagramDrop.QUEUE_FULL) > 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.get() > 0);
        Thread.sleep(500); // let what was carried arrive; the socket's own drops only make "received" smaller
        assertThat(m.datagrams(true) + m.droppedCount(TunnelMetrics.DatagramDrop.QUEUE_FULL)).isLessThanOrEqualTo(sent);
        assertThat(received.get()).isLessThanOrEqualTo((int) m.datagrams(true)).isLessThan(sent);
        assertThat(m.udpSessionsActive()).isEqualTo(1);
    }

    @Test
    void aTargetOutsideTheAllowListIsRefusedAndItsDatagramsAreDroppedAndCounted() throws Exception {
        int allowed = udpTarget(new AtomicInteger(), true);
        int other = udpTarget(new AtomicInteger(), true);
        Gateway server = server("127.0.0.1:" + allowed, "");
        Gateway client = client(server, "127.0.0.1:" + other, "");
        InetSocketAddress listener = client.localAddress("dns");
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(300);
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(ping, ping.length, listener));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.FORBIDDEN) == 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                socket.send(new DatagramPacket(ping, ping.length, listener));
                assertThat(client.tunnelMetrics().droppedCount(TunnelMetrics.DatagramDrop.REFUSED)).isPositive();
            });
            try {
                socket.receive(new DatagramPacket(new byte[64], 64));
                throw new AssertionError("a refused session must not carry a reply");
            } catch (SocketTimeoutException expected) {
                // nothing came back
            }
        }
        assertThat(server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.FORBIDDEN)).isEqualTo(1);
    }

    // ---- helpers ----

    /** Sends {@code text} until its echo comes back (UDP may lose a datagram on a loaded machine). */
    private static String roundTrip(DatagramSocket socket, InetSocketAddress to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.setSoTimeout(500);
        for (int attempt = 0; attempt < 40; attempt++) {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            try {
                while (true) {
                    socket.receive(reply);
                    String got = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                    if (got.equals(text)) {
                        return got;
                    }
                    // a late echo of an earlier attempt or datagram: keep reading
                }
            } catch (SocketTimeoutException retry) {
                // resend
            }
        }
        throw new AssertionError("no echo of " + text);
    }

    /** A UDP socket counting what it receives, echoing it when {@code echo}. */
    private int udpTarget(AtomicInteger received, boolean echo) throws IOException {
        DatagramSocket socket = gateways.closeLater(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        socket.setReceiveBufferSize(4 * 1024 * 1024);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[65_535];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    received.incrementAndGet();
                    if (echo) {
                        socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return socket.getLocalPort();
    }

    private static Gateway server(String allowed, String extra) throws Exception {
        return gateways.server(0, allowed, extra);
    }

    private static Gateway client(Gateway server, String target, String extra) throws Exception {
        return gateways.client(server, "{name: dns, port: 0, protocol: udp, target: \"" + target + "\"}", extra);
    }
}
