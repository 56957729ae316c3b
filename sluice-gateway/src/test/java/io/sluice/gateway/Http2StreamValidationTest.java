package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.sluice.gateway.H2PriorKnowledgeClient.Outcome;
import io.sluice.testing.TestBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed HTTP/2 requests are reset and never reach a backend; well-formed ones multiplex and
 * stream under flow control. Every client here speaks HTTP/2 with prior knowledge.
 */
class Http2StreamValidationTest {

    private static final long PROTOCOL_ERROR = Http2Error.PROTOCOL_ERROR.code();

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");
    private TestBackend backend;
    private H2PriorKnowledgeClient client;

    @BeforeEach
    void start() throws Exception {
        backend = sluice.backend();
        client = new H2PriorKnowledgeClient(sluice.start("").port("http"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void resetsStreamWithConnectionSpecificHeader() throws Exception {
        for (String[] field : new String[][] {
                {"connection", "keep-alive"}, {"keep-alive", "timeout=5"}, {"proxy-connection", "keep-alive"},
                {"transfer-encoding", "chunked"}, {"upgrade", "websocket"}, {"te", "gzip"}}) {
            Outcome outcome = client.exchange(H2PriorKnowledgeClient.get("/").add(field[0], field[1]), null);
            assertThat(outcome.resetCode()).as(field[0]).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(backend.requestsReceived()).isZero();
        // "te: trailers" is the one connection-ish field HTTP/2 allows.
        assertThat(client.exchange(H2PriorKnowledgeClient.get("/").add("te", "trailers"), null).status())
                .isEqualTo("200");
    }

    @Test
    void rejectsRequestMissingPathPseudoHeader() throws Exception {
        Http2Headers noPath = H2PriorKnowledgeClient.get("/");
        noPath.remove(":path");
        Http2Headers noMethod = H2PriorKnowledgeClient.get("/");
        noMethod.remove(":method");
        Http2Headers noScheme = H2PriorKnowledgeClient.get("/");
        noScheme.remove(":scheme");
        for (Http2Headers headers : List.of(noPath, noMethod, noScheme)) {
            assertThat(client.exchange(headers, null).resetCode()).as(headers.toString()).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(backend.requestsReceived()).isZero();
    }

    @Test
    void resetsStreamWithUppercaseHeaderNameOrForbiddenValue() throws Exception {
        assertThat(client.exchange(H2PriorKnowledgeClient.get("/").add("X-Upper", "1"), null).resetCode())
                .isEqualTo(PROTOCOL_ERROR);
        assertThat(client.exchange(H2PriorKnowledgeClient.get("/").add("x-smuggle", "a\r\nx-evil: 1"), null)
                .resetCode()).isEqualTo(PROTOCOL_ERROR);
        assertThat(backend.requestsReceived()).isZero();
    }

    @Test
    void resetsStreamWhenContentLengthDisagreesWithData() throws Exception {
        Http2Headers headers = H2PriorKnowledgeClient.get("/count").method("POST").addLong("content-length", 10);
        Outcome outcome = client.exchange(headers, "abc");
        assertThat(outcome.resetCode()).isEqualTo(PROTOCOL_ERROR);
        // The backend may have seen the head, never a complete request; its connection must not be reused,
        // since it still waits for 7 bytes: the next request needs a fresh connection and gets a full answer.
        Outcome next = client.exchange(H2PriorKnowledgeClient.get("/"), null);
        assertThat(next.status()).isEqualTo("200");
        assertThat(next.body()).isEqualTo("a");
        // Had the half-written connection been reused, the backend would have read this request as the rest of
        // the first one's body, and the answer above would not be "a". (A reset that came before the head was
        // forwarded leaves a clean connection, which is rightly reused.)
        assertThat(backend.requestsReceived()).isBetween(1, 2);
    }

    @Test
    void resetsStreamWithPseudoHeaderInTrailersOrDataBeyondContentLength() throws Exception {
        Http2Headers headers = H2PriorKnowledgeClient.get("/count").method("POST").addLong("content-length", 2);
        assertThat(client.exchange(headers, "abc").resetCode()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void closesConnectionOnHeadersForAClosedStream() throws Exception {
        Outcome first = client.exchange(H2PriorKnowledgeClient.get("/"), null);
        assertThat(first.status()).isEqualTo("200");
        client.reuseStream(first.streamId());
        assertThat(client.goAway.get(10, TimeUnit.SECONDS)).isEqualTo(Http2Error.STREAM_CLOSED.code());
    }

    @Test
    void servesManyConcurrentStreamsOnOneConnection() throws Exception {
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            outcomes.add(client.send(H2PriorKnowledgeClient.get("/sleep?ms=200"), null));
        }
        for (CompletableFuture<Outcome> outcome : outcomes) {
            Outcome done = outcome.get(20, TimeUnit.SECONDS);
            assertThat(done.status()).isEqualTo("200");
            assertThat(done.body()).isEqualTo("a");
        }
        assertThat(backend.requestsReceived()).isEqualTo(50);
    }

    @Test
    void streamsLargeResponseIntactUnderFlowControl() throws Exception {
        // 20 MB is 300 times the default 64 KiB stream window: it only arrives if WINDOW_UPDATEs flow.
        Outcome outcome = client.send(H2PriorKnowledgeClient.get("/download?bytes=20000000"), null)
                .get(60, TimeUnit.SECONDS);
        assertThat(outcome.reset()).isFalse();
        assertThat(outcome.status()).isEqualTo("200");
        assertThat(outcome.bodyBytes()).isEqualTo(20_000_000L);
        // The stream ended cleanly, so the connection is still good for more.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.exchange(H2PriorKnowledgeClient.get("/"), null).status()).isEqualTo("200"));
    }
}
