package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream through the gateway instead of being held: with a 64 MiB heap, a 1 GiB upload and a
 * 1 GiB download pass through intact. The gateway runs in its own JVM so that the heap limit is real.
 */
class LargeBodyStreamingTest {

    private static final long ONE_GIB = 1L << 30;

    @TempDir
    Path dir;

    private final TestBackend backend = TestBackend.start("big");
    private Process gateway;
    private int port;

    @BeforeEach
    void startGatewayWithSmallHeap() throws Exception {
        port = freePort();
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server:
                  workers: 2
                  listeners:
                    - name: http
                      host: 127.0.0.1
                      port: %d
                admin:
                  enabled: false
                routes:
                  - name: uploads
                    max_body_size: 0       # an upload route: no body limit
                    backends:
                      - host: 127.0.0.1
                        port: %d
                """.formatted(port, backend.port()));
        String java = ProcessHandle.current().info().command().orElse("java");
        gateway = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m",
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "serve", "-c", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile())
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
        backend.close();
    }

    @Test
    void oneGibUploadAndDownloadPassThroughA64MibHeap() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + port);

        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(base.resolve("/count"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(ONE_GIB)), ONE_GIB))
                        .timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(upload.body()).isEqualTo(Long.toString(ONE_GIB));

        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(base.resolve("/download?bytes=" + ONE_GIB))
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        long received;
        try (InputStream body = download.body()) {
            received = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(received).isEqualTo(ONE_GIB);
        assertThat(gateway.isAlive()).as("gateway still running (no OutOfMemoryError); log: %s",
                Files.readString(dir.resolve("gateway.log"))).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code length} zero bytes, generated as read: the test client holds no body either. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
