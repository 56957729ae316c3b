package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.model.JobSpec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Retries: which calls, on what, how long between attempts, and what the caller sees in the end. */
class RetryTest {

    private static final byte[] UNAVAILABLE = ("{\"type\":\"https://sluice.dev/problems/unavailable\",\"title\":\"Service Unavailable\","
            + "\"status\":503,\"detail\":\"job pool is full (10 of 10 workers busy)\"}").getBytes(StandardCharsets.UTF_8);

    /** Answers {@code failures} times with {@code failure}, then as the fake API. */
    private static Function<FakeServer.Exchange, FakeServer.Reply> failingFirst(int failures, FakeServer.Reply failure) {
        FakeControlApi api = new FakeControlApi();
        AtomicInteger n = new AtomicInteger();
        return ex -> n.incrementAndGet() <= failures ? failure : api.apply(ex);
    }

    private static FakeServer.Reply unavailable() {
        return FakeServer.Reply.of(503, "application/problem+json", UNAVAILABLE);
    }

    private static SluiceClient client(FakeServer server) {
        return SluiceClient.builder().baseUri(server.uri()).prewarm(0)
                .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5))).build();
    }

    @Test
    void anIdempotentCallIsRetriedOn503UntilItSucceeds() throws Exception {
        try (FakeServer server = FakeServer.http1(failingFirst(2, unavailable())); SluiceClient client = client(server)) {
            assertThat(client.backends("api")).hasSize(2);
            assertThat(server.requests).hasSize(3);
        }
    }

    @Test
    void afterThreeAttemptsTheLastProblemIsThrown() throws Exception {
        try (FakeServer server = FakeServer.http1(ex -> unavailable()); SluiceClient client = client(server)) {
            assertThatThrownBy(() -> client.drain("api", "127.0.0.1:8081")).isInstanceOfSatisfying(SluiceApiException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.problem().detail()).isEqualTo("job pool is full (10 of 10 workers busy)");
            });
            assertThat(server.requests).hasSize(3);
        }
    }

    @Test
    void aJobCreationIsNotRetriedOn503() throws Exception {
        try (FakeServer server = FakeServer.http1(ex -> unavailable()); SluiceClient client = client(server)) {
            assertThatThrownBy(() -> client.createJob(JobSpec.fetch("http://127.0.0.1:1/f", "/tmp/f")))
                    .isInstanceOf(SluiceApiException.class);
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void a429IsRetriedAfterWhatRetryAfterAsksEvenForAJobCreation() throws Exception {
        FakeServer.Reply limited = FakeServer.Reply.text(429, "slow down").with("retry-after", "1");
        try (FakeServer server = FakeServer.http1(failingFirst(1, limited)); SluiceClient client = client(server)) {
            assertThat(client.createJob(JobSpec.fetch("http://127.0.0.1:1/f", "/tmp/f")).state()).isEqualTo("queued");
            assertThat(server.requests).hasSize(2);
            long waited = server.requests.get(1).nanoTime() - server.requests.get(0).nanoTime();
            assertThat(waited).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        }
    }

    @Test
    void aRetryAfterLongerThanTheLimitReturnsTheErrorAtOnce() throws Exception {
        FakeServer.Reply limited = FakeServer.Reply.text(429, "come back in an hour").with("retry-after", "3600");
        try (FakeServer server = FakeServer.http1(ex -> limited); SluiceClient client = client(server)) {
            assertThatThrownBy(client::stats).isInstanceOfSatisfying(SluiceApiException.class,
                    e -> assertThat(e.status()).isEqualTo(429));
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void anUnreachableServerEndsInATransportException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (SluiceClient client = SluiceClient.builder().baseUri("http://127.0.0.1:" + port).prewarm(0)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ZERO)).build()) {
            assertThatThrownBy(client::routes).isInstanceOf(SluiceTransportException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void aResponseSlowerThanTheRequestTimeoutFailsAndIsRetried() throws Exception {
        FakeControlApi api = new FakeControlApi();
        AtomicInteger n = new AtomicInteger();
        try (FakeServer server = FakeServer.http1(ex -> n.incrementAndGet() == 1 ? api.apply(ex).delayed(3000) : api.apply(ex));
             SluiceClient client = SluiceClient.builder().baseUri(server.uri()).prewarm(0)
                     .requestTimeout(Duration.ofMillis(300)).build()) {
            assertThat(client.routes()).hasSize(1);
            assertThat(server.requests).hasSize(2);
        }
        try (FakeServer server = FakeServer.http1(ex -> FakeServer.Reply.text(200, "late").delayed(3000));
             SluiceClient client = SluiceClient.builder().baseUri(server.uri()).prewarm(0).retry(RetryPolicy.none())
                     .requestTimeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(client::routes).isInstanceOf(SluiceTransportException.class)
                    .hasMessageContaining("no response within");
        }
    }

    @Test
    void backoffCeilingsDoubleUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350), Duration.ofSeconds(1));
        assertThat(p.ceilingNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(p.ceilingNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(p.ceilingNanos(3)).isEqualTo(Duration.ofMillis(350).toNanos());
        assertThat(p.ceilingNanos(60)).isEqualTo(Duration.ofMillis(350).toNanos());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(Retrier.retryAfterNanos("2")).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(Retrier.retryAfterNanos(null)).isEqualTo(-1);
        assertThat(Retrier.retryAfterNanos("soon")).isEqualTo(-1);
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
        assertThat(Retrier.retryAfterNanos(inTenSeconds)).isBetween(Duration.ofSeconds(8).toNanos(), Duration.ofSeconds(10).toNanos());
    }
}
