package io.sluice.gateway.tunnel;

import static io.sluice.gateway.tunnel.TunnelGateways.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's own stream cap, and the server's pre-connected target pool (seed 003). */
class TunnelLimitsTest {

    @RegisterExtension
    static final TunnelGateways gateways = new TunnelGateways();

    private final AtomicInteger accepted = new AtomicInteger();

    @Test
    void theClientRefusesTheConnectionBeyondItsOwnCapAtOnce() throws Exception {
        int echo = echoTarget();
        Gateway server = server(echo, "");
        Gateway client = client(server, echo, "  max_concurrent_streams: 2\n");
        int port = client.localAddress("app").getPort();
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
            roundTrip(a, "a");
            roundTrip(b, "b");
            try (Socket c = new Socket("127.0.0.1", port)) {
                c.setSoTimeout(10_000);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    c.getInputStream().transferTo(got);
                } catch (IOException reset) {
                    // refused either way
                }
                assertThat(got.size()).isZero();
            }
            assertThat(client.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.LIMIT)).isEqualTo(1);
            roundTrip(a, "a again");
        }
    }

    @Test
    void theServerKeepsPreConnectedTargetConnectionsEachUsedByOneStream() throws Exception {
        int echo = echoTarget();
        Gateway server = server(echo, "  connection_pool: {enabled: true, size: 2, idle_timeout: 30s}\n");
        Gateway client = client(server, echo, "");
        int port = client.localAddress("app").getPort();
        try (Socket first = new Socket("127.0.0.1", port)) {
            roundTrip(first, "one");
            // The first stream dialled its own connection and one more for the next stream.
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 2);
            try (Socket second = new Socket("127.0.0.1", port)) {
                roundTrip(second, "two"); // on the pre-connected one
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 3); // and one more dialled
                roundTrip(first, "one again");
            }
        }
    }

    @Test
    void abortingManyBusyConnectionsAtOnceKeepsTheTunnelConnectionUp() throws Exception {
        int echo = echoTarget();
        Gateway server = server(echo, "");
        Gateway client = client(server, echo, "");
        int port = client.localAddress("app").getPort();
        List<Socket> busy = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket("127.0.0.1", port);
            busy.add(s);
            writers.add(Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (true) {
                        s.getOutputStream().write(chunk);
                    }
                } catch (IOException closed) {
                    // the test aborts it
                }
            }));
        }
        Thread.sleep(1000);
        for (Socket s : busy) {
            s.setSoLinger(true, 0); // RST, as iperf3 does at the end of a run
            s.close();
        }
        for (Thread t : writers) {
            t.join(10_000);
        }
        Thread.sleep(1000);
        try (Socket after = new Socket("127.0.0.1", port)) {
            roundTrip(after, "after");
        }
        assertThat(client.tunnelMetrics().connectionsUp()).isEqualTo(1);
        assertThat(server.tunnelMetrics().rejectedCount("protocol_error")
                + server.tunnelMetrics().rejectedCount("flow_control_error")
                + client.tunnelMetrics().rejectedCount("protocol_error")
                + client.tunnelMetrics().rejectedCount("flow_control_error")).isZero();
        assertThat(client.tunnelMetrics().reconnectCount()).isZero();
    }

    @Test
    void aSocks5ListenerCarriesEachConnectionToTheTargetItNamesAndRelaysRefusals() throws Exception {
        int echo = echoTarget();
        Gateway server = server(echo, "");
        Gateway client = client(server, echo, "    - {name: socks, port: 0, protocol: socks5}\n");
        java.net.Proxy socks = new java.net.Proxy(java.net.Proxy.Type.SOCKS,
                new java.net.InetSocketAddress("127.0.0.1", client.localAddress("socks").getPort()));
        try (Socket s = new Socket(socks)) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", echo), 10_000);
            roundTrip(s, "through socks");
        }
        try (Socket s = new Socket(socks)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", echo + 1), 10_000))
                    .isInstanceOf(IOException.class);
        }
        assertThat(server.tunnelMetrics().refusedCount(TunnelMetrics.Refusal.FORBIDDEN)).isEqualTo(1);
    }

    @Test
    void aBurstOfHundredsOfAbortedConnectionsDoesNotTripTheResetFloodGuard() throws Exception {
        int echo = echoTarget();
        Gateway server = server(echo, "");
        Gateway client = client(server, echo, "");
        int port = client.localAddress("app").getPort();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", port);
                sockets.add(s);
                roundTrip(s, "n" + i);
            }
        } finally {
            for (Socket s : sockets) {
                s.setSoLinger(true, 0);
                s.close(); // 300 RST_STREAMs at once: above Netty's default of 200 per 30 s
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> server.tunnelMetrics().activeStreams() == 0);
        try (Socket after = new Socket("127.0.0.1", port)) {
            roundTrip(after, "after");
        }
        assertThat(client.tunnelMetrics().reconnectCount()).isZero();
    }

    private int echoTarget() throws IOException {
        return gateways.target("echo", accepted, s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    private static Gateway server(int target, String extra) throws Exception {
        return gateways.server(0, "127.0.0.1:" + target, extra);
    }

    private static Gateway client(Gateway server, int target, String extra) throws Exception {
        return gateways.client(server, "{name: app, port: 0, target: \"127.0.0.1:" + target + "\"}",
                extra + "  connections: 1\n"); // after extra, which may add to the listeners
    }
}
