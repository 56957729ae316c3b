package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The batch builder and automatic batching: many calls, one POST /api/v1/batch, results in order. */
class BatchTest {

    private static SluiceClient.Builder to(FakeServer server) {
        return SluiceClient.builder().baseUri(server.uri()).prewarm(0);
    }

    private static long posts(FakeServer server, String path) {
        return server.requests.stream().filter(ex -> ex.path().equals(path)).count();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aBatchIsOnePostWhoseResultsCompleteEachCallInOrderWithPartialFailures(Format format) throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi()); SluiceClient client = to(server).format(format).build()) {
            Batch batch = client.newBatch();
            CompletableFuture<Backend> weighted = batch.add(Calls.setWeight("api", "127.0.0.1:8081", 300));
            CompletableFuture<Backend> invalid = batch.add(Calls.setWeight("api", "127.0.0.1:8082", 0));
            CompletableFuture<Backend> added = batch.add(Calls.addBackend("api", BackendSpec.of("127.0.0.1", 8090)));
            CompletableFuture<Backend> missing = batch.add(Calls.drain("api", "10.0.0.9:80"));
            CompletableFuture<List<Backend>> list = batch.add(Calls.backends("api"));
            CompletableFuture<Job> job = batch.add(Calls.createJob(JobSpec.fetch("http://127.0.0.1:1/f", "/tmp/f")));
            assertThat(batch.size()).isEqualTo(6);
            batch.execute();

            assertThat(server.requests).singleElement().satisfies(ex -> {
                assertThat(ex.method()).isEqualTo("POST");
                assertThat(ex.path()).isEqualTo("/api/v1/batch");
                assertThat(ex.header("content-type")).isEqualTo(format.mediaType());
                JsonNode sent = (format == Format.MSGPACK ? new ObjectMapper(new MessagePackFactory()) : new ObjectMapper())
                        .readTree(ex.body());
                assertThat(sent.path("operations")).hasSize(6);
                assertThat(sent.path("operations").get(0).path("method").asText()).isEqualTo("PATCH");
                assertThat(sent.path("operations").get(0).path("body").path("weight").asInt()).isEqualTo(300);
                assertThat(sent.path("operations").get(3).has("body")).isFalse();
            });
            assertThat(weighted.join().weight()).isEqualTo(300);
            assertThat(invalid).failsWithin(Duration.ofSeconds(1)).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.problem().errors()).extracting(Problem.FieldError::field).containsExactly("weight");
                    });
            assertThat(added.join().address()).isEqualTo("127.0.0.1:8090");
            assertThat(missing).failsWithin(Duration.ofSeconds(1)).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.problem().slug()).isEqualTo("not-found"));
            assertThat(list.join()).extracting(Backend::address).containsExactly("127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8090");
            assertThat(job.join().state()).isEqualTo("queued");
        }
    }

    @Test
    void moreCallsThanTheServerLimitAreSplitIntoSeveralBatches() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi()); SluiceClient client = to(server).build()) {
            Batch batch = client.newBatch();
            List<CompletableFuture<Backend>> calls = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                calls.add(batch.add(Calls.backend("api", "127.0.0.1:8081")));
            }
            batch.execute();
            assertThat(posts(server, "/api/v1/batch")).isEqualTo(3);
            assertThat(calls).allSatisfy(c -> assertThat(c.join().port()).isEqualTo(8081));
        }
    }

    @Test
    void aBatchRejectedAsAWholeFailsEveryCallWithTheProblem() throws Exception {
        byte[] tooLarge = "{\"type\":\"https://sluice.dev/problems/payload-too-large\",\"title\":\"Payload Too Large\",\"status\":413,\"detail\":\"body over 1000000 bytes\"}".getBytes();
        try (FakeServer server = FakeServer.http1(ex -> FakeServer.Reply.of(413, "application/problem+json", tooLarge));
             SluiceClient client = to(server).build()) {
            Batch batch = client.newBatch();
            CompletableFuture<Backend> a = batch.add(Calls.drain("api", "127.0.0.1:8081"));
            CompletableFuture<Backend> b = batch.add(Calls.enable("api", "127.0.0.1:8081"));
            batch.execute();
            for (CompletableFuture<Backend> f : List.of(a, b)) {
                assertThat(f).failsWithin(Duration.ofSeconds(1)).withThrowableThat().havingCause()
                        .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.status()).isEqualTo(413));
            }
        }
    }

    @Test
    void automaticBatchingSendsAFullBatchAsSoonAsMaxItemsAreWaiting() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi());
             SluiceClient client = to(server).autoBatching(10, Duration.ofSeconds(30)).build()) {
            List<CompletableFuture<Backend>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(client.setWeightAsync("api", "127.0.0.1:8081", i + 1));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            assertThat(server.requests).hasSize(5).allSatisfy(ex -> assertThat(ex.path()).isEqualTo("/api/v1/batch"));
            assertThat(calls.get(49).join().weight()).isEqualTo(50);
        }
    }

    @Test
    void automaticBatchingSendsWhatIsWaitingOnceMaxDelayHasPassed() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi());
             SluiceClient client = to(server).autoBatching(100, Duration.ofNanos(2_000_000)).build()) {
            assertThat(client.backends("api")).hasSize(2);
            CompletableFuture<Backend> a = client.backendAsync("api", "127.0.0.1:8081");
            CompletableFuture<Backend> b = client.backendAsync("api", "127.0.0.1:8082");
            assertThat(a.get().port()).isEqualTo(8081);
            assertThat(b.get().port()).isEqualTo(8082);
            assertThat(server.requests).allSatisfy(ex -> assertThat(ex.path()).isEqualTo("/api/v1/batch"));
            assertThat(server.requests.size()).isBetween(2, 3);
        }
    }
}
