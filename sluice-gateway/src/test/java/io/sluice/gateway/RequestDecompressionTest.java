package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.testing.RawHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** routes[i].request_decompression against real requests through a real gateway. */
class RequestDecompressionTest {

    private static final byte[] JSON = ("{\"event\":\"login\",\"user\":\"alice\",\"ok\":true}\n".repeat(2000))
            .getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    private Gateway gateway(String decompression) throws Exception {
        return sluice.startWithRoutes("""
                routes:
                  - name: api
                    max_body_size: 0
                    %s
                    backends:
                      - {host: 127.0.0.1, port: %d}
                """.formatted(decompression, sluice.backend().port()));
    }

    private static byte[] post(String encoding, byte[] body) {
        byte[] head = ("POST /count HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: "
                + encoding + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Test
    void gzipDeflateAndZstdBodiesReachTheBackendPlainAndChunked() throws Exception {
        Gateway gateway = gateway("request_decompression: {max_size: 1MB}");
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            for (String encoding : new String[] {"gzip", "deflate", "zstd"}) {
                client.send(post(encoding, compress(encoding, JSON)));
                RawHttpClient.Response response = client.read();
                assertThat(response.status()).as(encoding).isEqualTo(200);
                assertThat(response.body()).as(encoding).isEqualTo(Integer.toString(JSON.length));
            }
            // Two gzip members in a row (RFC 1952): both halves arrive.
            byte[] first = compress("gzip", JSON);
            byte[] both = java.util.Arrays.copyOf(first, first.length * 2);
            System.arraycopy(first, 0, both, first.length, first.length);
            client.send(post("gzip", both));
            assertThat(client.read().body()).isEqualTo(Integer.toString(JSON.length * 2));
        }
        assertThat(sluice.backend().receivedHeaders()).hasSize(4);
        for (HttpHeaders seen : sluice.backend().receivedHeaders()) {
            assertThat(seen.contains("content-encoding")).isFalse();
            assertThat(seen.contains("content-length")).isFalse();
            assertThat(seen.get("transfer-encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void aZipBombGets413AndTheBackendNeverGetsTheWholeBody() throws Exception {
        Gateway gateway = gateway("request_decompression: {max_size: 10MB}");
        // 1 GiB of zeros in under 5 MB of gzip (level 1, fast to make; level 9 would be 1 MB but take seconds).
        byte[] bomb = gzipZeros(1L << 30);
        assertThat(bomb.length).isLessThan(5_000_000);

        String response = exchange(gateway.port("http"), post("gzip", bomb));

        assertThat(response).startsWith("HTTP/1.1 413").contains("request_decompression.max_size");
        // The backend saw at most the start of a chunked body whose connection was then dropped: no answer.
        assertThat(sluice.backend().requestsReceived()).isLessThanOrEqualTo(1);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(post("gzip", compress("gzip", JSON)));
            assertThat(client.read().body()).isEqualTo(Integer.toString(JSON.length));
        }
    }

    @Test
    void anEncodingTheRouteCannotDecodeGets415AndIsNotForwarded() throws Exception {
        Gateway gateway = gateway("request_decompression: {enabled: true}");
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(post("br", new byte[] {1, 2, 3}));
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.header("accept-encoding")).isEqualTo("gzip, deflate, zstd");
        }
        assertThat(sluice.backend().requestsReceived()).isZero();
    }

    @Test
    void aTruncatedOrCorruptBodyGets400() throws Exception {
        Gateway gateway = gateway("request_decompression: {enabled: true}");
        byte[] gzip = compress("gzip", JSON);
        byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length / 2);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(post("gzip", truncated));
            assertThat(client.read().status()).isEqualTo(400);
        }
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(post("gzip", "certainly not gzip".getBytes(StandardCharsets.US_ASCII)));
            assertThat(client.read().status()).isEqualTo(400);
        }
    }

    @Test
    void withoutRequestDecompressionBodiesPassAsTheyAre() throws Exception {
        Gateway gateway = gateway("compression: {enabled: false}");
        byte[] gzip = compress("gzip", JSON);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(post("gzip", gzip));
            assertThat(client.read().body()).isEqualTo(Integer.toString(gzip.length));
        }
        assertThat(sluice.backend().receivedHeaders().get(0).get("content-encoding")).isEqualTo("gzip");
    }

    @Test
    void aRetryAfterAResetResendsTheDecompressedBody() throws Exception {
        // The first backend reads the request and resets before answering; the retry must carry the plain body
        // (the head already says chunked, without Content-Encoding), not the compressed one.
        try (java.net.ServerSocket resetting = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            Thread reset = new Thread(() -> {
                while (!resetting.isClosed()) {
                    try (Socket s = resetting.accept()) {
                        s.setSoLinger(true, 0);
                        if (s.getInputStream().read(new byte[65536]) > 0) { // some of the request, then a reset
                            reads.incrementAndGet();
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            reset.setDaemon(true);
            reset.start();
            byte[] plain = java.util.Arrays.copyOf(JSON, 20_000);
            Gateway gateway = sluice.startWithRoutes(String.join("\n",
                    "routes:",
                    "  - name: api",
                    "    algorithm: round_robin",
                    "    request_decompression: {enabled: true}",
                    "    retry: {max_retry_attempts: 1, retry_on: [reset_before_response]}",
                    "    backends:",
                    "      - {host: 127.0.0.1, port: " + resetting.getLocalPort() + "}",
                    "      - {host: 127.0.0.1, port: " + sluice.backend().port() + "}",
                    ""));
            try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
                client.send(post("gzip", compress("gzip", plain)));
                RawHttpClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(Integer.toString(plain.length));
                client.send(post("gzip", compress("gzip", plain))); // round robin: the other backend first now
                assertThat(client.read().body()).isEqualTo(Integer.toString(plain.length));
            }
            assertThat(reads.get()).as("the resetting backend got a try").isPositive();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Sends {@code request} from one thread while reading the answer on this one: the gateway may answer early. */
    private static String exchange(int port, byte[] request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException closedEarly) {
                    // the gateway answered and closed before the whole body was sent
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // a reset after the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] compress(String encoding, byte[] plain) throws IOException {
        if (encoding.equals("zstd")) {
            return Zstd.compress(plain);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = encoding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] gzipZeros(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            byte[] zeros = new byte[1 << 20];
            for (long left = size; left > 0; left -= zeros.length) {
                z.write(zeros);
            }
        }
        return out.toByteArray();
    }
}
