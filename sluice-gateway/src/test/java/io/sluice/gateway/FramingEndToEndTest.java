package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import io.sluice.testing.TestBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every ambiguous request is answered 400 with the connection closed, and the backend never sees a byte of it
 * (request smuggling: RFC 9112 §6.1, §6.3, §11.2). The codec's unit tests pin each case's exact reason.
 */
class FramingEndToEndTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");
    private Gateway gateway;
    private TestBackend backend;

    @BeforeEach
    void start() throws Exception {
        gateway = sluice.start("");
        backend = sluice.backend();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX-Bare: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n",
        "GET / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    })
    void ambiguousRequestGets400AndNeverReachesTheBackend(String request) throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(request);
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(backend.requestsReceived()).isZero();
    }

    @org.junit.jupiter.api.Test
    void requestWithTooManyHeaderFieldsGets431() throws Exception {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 150; i++) {
            request.append("X-F").append(i).append(": v\r\n");
        }
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send(request.append("\r\n").toString());
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.body()).contains("too many header fields");
        }
        assertThat(backend.requestsReceived()).isZero();
    }

    @org.junit.jupiter.api.Test
    void oversizedHeadersGet431AndOversizedRequestLineGets414() throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(431);
        }
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(414);
        }
        assertThat(backend.requestsReceived()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zz", "-1", "ffffffffffffffffff"})
    void invalidChunkSizeAbortsTheExchangeAndTheConnection(String size) throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size + "\r\nhello\r\n0\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
        // The head may have been forwarded before the bad chunk arrived; no complete request ever was.
        assertThat(backend.requestsReceived()).isLessThanOrEqualTo(1);
        org.awaitility.Awaitility.await().until(() -> gateway.proxy().activeExchanges() == 0);
    }
}
