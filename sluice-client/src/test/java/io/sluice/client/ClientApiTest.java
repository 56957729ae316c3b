package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobSpec;
import io.sluice.client.model.ReloadResult;
import io.sluice.client.model.Route;
import io.sluice.client.model.Stats;
import io.sluice.client.transport.Http2Mode;
import io.sluice.client.transport.Protocol;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented /api/v1 endpoint through the typed client, in both codecs, over HTTP/1.1 and h2c. */
class ClientApiTest {

    static List<Arguments> codecsAndProtocols() {
        return List.of(Arguments.of(Format.JSON, false), Arguments.of(Format.MSGPACK, false),
                Arguments.of(Format.JSON, true), Arguments.of(Format.MSGPACK, true));
    }

    private static SluiceClient client(FakeServer server, Format format, boolean h2) {
        return SluiceClient.builder().baseUri(server.uri()).format(format).token("s3cret")
                .http2(h2 ? Http2Mode.PRIOR_KNOWLEDGE : Http2Mode.NEVER).build();
    }

    private static FakeServer server(FakeControlApi api, boolean h2) throws InterruptedException {
        return h2 ? FakeServer.h2c(api) : FakeServer.http1(api);
    }

    @ParameterizedTest(name = "{0}, h2={1}")
    @MethodSource("codecsAndProtocols")
    void everyEndpointRoundTripsInTheChosenCodec(Format format, boolean h2) throws Exception {
        FakeControlApi api = new FakeControlApi();
        try (FakeServer server = server(api, h2); SluiceClient client = client(server, format, h2)) {
            List<Route> routes = client.routes();
            assertThat(routes).singleElement().satisfies(r -> {
                assertThat(r.name()).isEqualTo("api");
                assertThat(r.pathPrefix()).isEqualTo("/");
                assertThat(r.algorithm()).isEqualTo("round_robin");
                assertThat(r.serveStatic()).isFalse();
                assertThat(r.backends()).hasSize(2);
            });
            assertThat(client.route("api").usableBackends()).isEqualTo(2);
            assertThat(client.backends("api")).extracting(Backend::address)
                    .containsExactly("127.0.0.1:8081", "127.0.0.1:8082");
            Backend one = client.backend("api", "127.0.0.1:8081");
            assertThat(one.pool().active()).isEqualTo(1);
            assertThat(one.adminState()).isEqualTo("enabled");

            assertThat(client.setWeight("api", "127.0.0.1:8081", 250).weight()).isEqualTo(250);
            assertThat(client.drain("api", "127.0.0.1:8081").adminState()).isEqualTo("draining");
            assertThat(client.enable("api", "127.0.0.1:8081").adminState()).isEqualTo("enabled");
            Backend added = client.addBackend("api", BackendSpec.of("127.0.0.1", 8083).withWeight(7));
            assertThat(added.address()).isEqualTo("127.0.0.1:8083");
            assertThat(added.weight()).isEqualTo(7);
            assertThat(client.removeBackend("api", "127.0.0.1:8083").adminState()).isEqualTo("removed");
            assertThat(client.backends("api")).hasSize(2);

            Stats stats = client.stats();
            assertThat(stats.windowSeconds()).isEqualTo(10.0);
            assertThat(stats.routes().get(0).latencyMs().p99()).isEqualTo(1.9);
            assertThat(stats.routes().get(0).backends().get(0).inFlight()).isEqualTo(3L);

            ReloadResult reload = client.reloadConfig();
            assertThat(reload.applied()).isTrue();
            assertThat(reload.restartRequired()).containsExactly("admin");

            Job job = client.createJob(JobSpec.fetch("http://127.0.0.1:1/file.bin", "/tmp/file.bin"));
            assertThat(job.state()).isEqualTo("queued");
            assertThat(job.spec().output()).isEqualTo("/tmp/file.bin");
            assertThat(job.progress().size()).isEqualTo(-1);
            assertThat(client.jobs()).extracting(Job::id).containsExactly(job.id());
            assertThat(client.job(job.id()).createdAt()).isEqualTo("2026-11-23T16:00:00Z");
            assertThat(client.cancelJob(job.id()).state()).isEqualTo("cancelled");

            assertThat(client.protocol()).isEqualTo(h2 ? Protocol.HTTP_2 : Protocol.HTTP_1_1);
            for (FakeServer.Exchange ex : server.requests) {
                assertThat(ex.http2()).isEqualTo(h2);
                assertThat(ex.header("authorization")).isEqualTo("Bearer s3cret");
                assertThat(ex.header("accept")).startsWith(format.mediaType());
                if (ex.body().length > 0) {
                    assertThat(ex.header("content-type")).isEqualTo(format.mediaType());
                }
            }
            assertThat(server.requests).anySatisfy(ex -> assertThat(ex.method()).isEqualTo("PATCH"));
        }
    }

    @ParameterizedTest(name = "{0}, h2={1}")
    @MethodSource("codecsAndProtocols")
    void aValidationFailureThrowsTheProblemDetailsWithEveryFieldError(Format format, boolean h2) throws Exception {
        FakeControlApi api = new FakeControlApi();
        api.reloadInvalid = true;
        try (FakeServer server = server(api, h2); SluiceClient client = client(server, format, h2)) {
            assertThatThrownBy(client::reloadConfig).isInstanceOfSatisfying(SluiceApiException.class, e -> {
                Problem p = e.problem();
                assertThat(p.status()).isEqualTo(422);
                assertThat(p.type()).isEqualTo("https://sluice.dev/problems/validation");
                assertThat(p.slug()).isEqualTo("validation");
                assertThat(p.title()).isEqualTo("Invalid configuration");
                assertThat(p.detail()).contains("running configuration is kept");
                assertThat(p.instance()).isEqualTo("/api/v1/config/reload");
                assertThat(p.errors()).extracting(Problem.FieldError::field)
                        .containsExactly("routes[0].backends[1].port", "routes[0].rate_limit.burst");
                assertThat(e.getMessage()).contains("422", "routes[0].backends[1].port: must be 1..65535, got 0");
            });
            assertThatThrownBy(() -> client.setWeight("api", "127.0.0.1:8081", 0))
                    .isInstanceOfSatisfying(SluiceApiException.class, e ->
                            assertThat(e.problem().errors()).containsExactly(new Problem.FieldError("weight", "must be 1..1000, got 0")));
            assertThatThrownBy(() -> client.backend("api", "10.9.9.9:1"))
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.problem().detail()).isEqualTo("route api has no backend 10.9.9.9:1");
                    });
        }
    }

    @ParameterizedTest(name = "{0}, h2={1}")
    @MethodSource("codecsAndProtocols")
    void asyncMethodsCompleteWithTheSameResultsAndFailures(Format format, boolean h2) throws Exception {
        try (FakeServer server = server(new FakeControlApi(), h2); SluiceClient client = client(server, format, h2)) {
            assertThat(client.backendsAsync("api").get()).hasSize(2);
            assertThat(client.jobAsync("nope").handle((j, err) -> err)).succeedsWithin(java.time.Duration.ofSeconds(10))
                    .isInstanceOf(SluiceApiException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void anIpv6BackendAddressIsPercentEncodedInThePath() throws Exception {
        try (FakeServer server = FakeServer.http1(ex -> FakeServer.Reply.text(404, "no"));
             SluiceClient client = SluiceClient.builder().baseUri(server.uri()).build()) {
            assertThatThrownBy(() -> client.drain("my route", "[::1]:8080")).isInstanceOfSatisfying(SluiceApiException.class, e -> {
                assertThat(e.problem().type()).isEqualTo("about:blank");
                assertThat(e.problem().title()).isEqualTo("Not Found");
                assertThat(e.problem().detail()).isEqualTo("no");
            });
            assertThat(server.requests.get(0).path()).isEqualTo("/api/v1/routes/my%20route/backends/%5B::1%5D:8080/drain");
        }
    }
}
