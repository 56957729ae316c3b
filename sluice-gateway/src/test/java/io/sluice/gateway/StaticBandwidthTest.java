package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bandwidth limits hold for {@code static:} routes too: the file goes in paced pieces (file regions on cleartext
 * HTTP/1.1, buffers over HTTP/2) instead of one {@code sendfile}. Rates are measured by the client from the request
 * to the last byte; transfers last about three seconds, so the 64 KiB burst is about 2 % of them.
 */
class StaticBandwidthTest {

    private static final long RATE = 8_000_000; // 8 Mbps = 1 MB/s
    private static final int BYTES = 3_000_000;

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension();

    @TempDir
    Path root;

    private byte[] data;

    @BeforeEach
    void files() throws IOException {
        data = new byte[BYTES];
        new Random(11).nextBytes(data);
        Files.write(root.resolve("image.bin"), data);
        Files.write(root.resolve("small.bin"), Arrays.copyOf(data, 64 * 1024));
    }

    private Gateway gateway(String bandwidth, String topLevel) throws Exception {
        return sluice.startWithRoutes(topLevel + """
                routes:
                  - name: files
                    bandwidth: %s
                    static:
                      root: %s
                """.formatted(bandwidth, root));
    }

    @Test
    void aStaticFileIsHeldToTheRouteRateWithinFivePercentAndArrivesIntact() throws Exception {
        Gateway gateway = gateway("{per_route: 8Mbps, burst: 64KiB}", "");
        get(gateway.port("http"), "/small.bin"); // warm up: the first request pays for class loading

        Download d = get(gateway.port("http"), "/image.bin");

        assertThat(d.body()).isEqualTo(data);
        assertThat(d.bitsPerSecond()).isCloseTo(RATE, within(RATE * 0.05));
    }

    @Test
    void overHttp2TheChunkedPathIsHeldToTheRateToo() throws Exception {
        Gateway gateway = gateway("{per_route: 8Mbps, burst: 64KiB}", "");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI small = URI.create("http://127.0.0.1:" + gateway.port("http") + "/small.bin");
        client.send(HttpRequest.newBuilder(small).build(), HttpResponse.BodyHandlers.ofByteArray());

        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port("http") + "/image.bin")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        double bps = BYTES * 8.0 / ((System.nanoTime() - start) / 1e9);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo(data);
        assertThat(bps).isCloseTo(RATE, within(RATE * 0.05));
    }

    @Test
    void eachConnectionGetsItsOwnRateAndTheGlobalRateCapsThemAll() throws Exception {
        Gateway gateway = gateway("{per_connection: 8Mbps, burst: 64KiB}", """
                bandwidth: {global: 12Mbps, burst: 64KiB}
                """);
        int port = gateway.port("http");
        get(port, "/small.bin");
        assertThat(get(port, "/image.bin").bitsPerSecond()).isCloseTo(8_000_000, within(8_000_000 * 0.05));

        // Two together would want 16 Mbps; the global throttle holds them to 12 between them.
        List<CompletableFuture<Download>> both = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            both.add(CompletableFuture.supplyAsync(() -> get(port, "/image.bin"), threads));
        }
        threads.shutdown();
        long total = 0;
        for (CompletableFuture<Download> f : both) {
            total += f.get().body().length;
        }
        double combined = total * 8.0 / ((System.nanoTime() - start) / 1e9);
        // As in BandwidthTest: never above the global rate plus the burst; the lower bound allows a busy machine.
        assertThat(combined).isBetween(12_000_000 * 0.85, 12_000_000 * 1.05);
    }

    @Test
    void aClientThatStopsReadingHoldsThePiecesBackAndStillGetsTheWholeFile() throws Exception {
        byte[] big = new byte[32 << 20];
        new Random(13).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Gateway gateway = gateway("{per_route: 400Mbps, burst: 64KiB}", "");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port("http")));
            socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // Unread, the socket buffers (a few MB at most on loopback) fill well within the second; the exchange
            // then waits on the client with one piece in flight, neither failing nor finishing.
            Thread.sleep(1000);
            assertThat(gateway.proxy().activeExchanges()).isEqualTo(1);
            assertThat(RawResponses.readOk(socket.getInputStream())).isEqualTo(big);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.proxy().activeExchanges() == 0);
    }

    @Test
    void aClientThatNeverReadsAgainIsCutOffAfterTheWriteTimeout() throws Exception {
        byte[] big = new byte[32 << 20];
        Files.write(root.resolve("big.bin"), big);
        Gateway gateway = gateway("{per_route: 400Mbps, burst: 64KiB}", """
                timeouts: {write: 1s}
                """);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port("http")));
            socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // The client never reads: once the socket buffers are full a piece waits on it past timeouts.write,
            // and the transfer is abandoned (exchange ended, connection closed) rather than held forever.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> gateway.proxy().activeExchanges() == 0);
        }
    }

    @Test
    void theConnectionIsKeptForTheNextRequestAfterAPacedFile() throws Exception {
        Gateway gateway = gateway("{per_route: 100Mbps, burst: 64KiB}", "");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port("http"))) {
            // Pipelined: the second request waits until the first file has gone, and the bodies do not interleave.
            socket.getOutputStream().write(("GET /image.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(RawResponses.readOk(in)).isEqualTo(data);
            assertThat(RawResponses.readOk(in)).isEqualTo(Arrays.copyOf(data, 64 * 1024));
        }
    }

    // ---- client ----------------------------------------------------------------------------------------

    record Download(byte[] body, long nanos) {
        double bitsPerSecond() {
            return body.length * 8.0 / (nanos / 1e9);
        }
    }

    private static Download get(int port, String path) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            long start = System.nanoTime();
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] body = RawResponses.readOk(socket.getInputStream());
            return new Download(body, System.nanoTime() - start);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
