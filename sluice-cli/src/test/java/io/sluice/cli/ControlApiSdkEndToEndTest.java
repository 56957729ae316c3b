package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.Batch;
import io.sluice.client.Calls;
import io.sluice.client.Format;
import io.sluice.client.Problem;
import io.sluice.client.SluiceApiException;
import io.sluice.client.SluiceClient;
import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobSpec;
import io.sluice.client.model.Route;
import io.sluice.client.transport.Http2Mode;
import io.sluice.client.transport.Protocol;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import io.sluice.testing.TestBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The SDK and the CLI against a real gateway's control API, in both codecs. */
class ControlApiSdkEndToEndTest {

    private final TestBackend a = TestBackend.start("a");
    private final TestBackend b = TestBackend.start("b");
    private final TestBackend c = TestBackend.start("c");
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("""
                server:
                  listeners:
                    - host: 127.0.0.1
                      port: 0
                admin:
                  port: 0
                  rate_limit:
                    enabled: false
                routes:
                  - name: main
                    backends:
                      - host: 127.0.0.1
                        port: %d
                      - host: 127.0.0.1
                        port: %d
                """.formatted(a.port(), b.port()), "e2e"));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
        c.close();
    }

    private SluiceClient client(Format format) {
        return client(format, Http2Mode.NEVER);
    }

    private SluiceClient client(Format format, Http2Mode http2) {
        return SluiceClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort()).format(format).http2(http2)
                .build();
    }

    /** Both codecs over HTTP/1.1 and over h2c (the admin listener's HTTP/2 with prior knowledge). */
    static Stream<Arguments> codecsAndProtocols() {
        return Stream.of(Format.values()).flatMap(f -> Stream.of(
                Arguments.of(f, Http2Mode.NEVER, Protocol.HTTP_1_1),
                Arguments.of(f, Http2Mode.PRIOR_KNOWLEDGE, Protocol.HTTP_2)));
    }

    private static String addr(TestBackend backend) {
        return "127.0.0.1:" + backend.port();
    }

    private String proxied() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port("http") + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @ParameterizedTest
    @MethodSource("codecsAndProtocols")
    void everyEndpointWorksThroughTheSdk(Format format, Http2Mode http2, Protocol expected) throws Exception {
        try (SluiceClient client = client(format, http2)) {
            assertThat(client.protocol()).isEqualTo(expected);
            List<Route> routes = client.routes();
            assertThat(routes).extracting(Route::name).containsExactly("main");
            assertThat(client.route("main").backends()).extracting(Backend::address).containsExactly(addr(a), addr(b));
            assertThat(client.backends("main")).hasSize(2);
            assertThat(client.backend("main", addr(a)).weight()).isEqualTo(100);

            assertThat(client.setWeight("main", addr(a), 7).weight()).isEqualTo(7);
            assertThat(client.drain("main", addr(a)).adminState()).isEqualTo("draining");
            for (int i = 0; i < 4; i++) {
                assertThat(proxied()).isEqualTo("b");
            }
            assertThat(client.enable("main", addr(a)).adminState()).isEqualTo("enabled");

            assertThat(client.addBackend("main", BackendSpec.of("127.0.0.1", c.port())).address()).isEqualTo(addr(c));
            assertThatThrownBy(() -> client.addBackend("main", BackendSpec.of("127.0.0.1", c.port())))
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThat(client.removeBackend("main", addr(c)).adminState()).isEqualTo("removed");

            assertThat(client.stats().routes()).extracting(r -> r.route()).contains("main");
            assertThat(client.jobs()).isEmpty();
            assertThatThrownBy(() -> client.createJob(JobSpec.fetch("ftp://nowhere/f", "/tmp/f")))
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.problem().errors()).extracting(Problem.FieldError::field).contains("url");
                    });
            assertThatThrownBy(() -> client.job("nope")).isInstanceOfSatisfying(SluiceApiException.class,
                    e -> assertThat(e.problem().slug()).isEqualTo("not-found"));
            // started from a parsed config, not a file: nothing to reload
            assertThatThrownBy(client::reloadConfig).isInstanceOfSatisfying(SluiceApiException.class,
                    e -> assertThat(e.status()).isEqualTo(409));
        }
    }

    @ParameterizedTest
    @MethodSource("codecsAndProtocols")
    void aBatchAnswersInOrderWithPartialFailures(Format format, Http2Mode http2, Protocol expected) throws Exception {
        try (SluiceClient client = client(format, http2)) {
            assertThat(client.protocol()).isEqualTo(expected);
            Batch batch = client.newBatch();
            CompletableFuture<Backend> weighted = batch.add(Calls.setWeight("main", addr(a), 50));
            CompletableFuture<Backend> invalid = batch.add(Calls.setWeight("main", addr(b), 0));
            CompletableFuture<Backend> missing = batch.add(Calls.drain("main", "10.9.9.9:1"));
            CompletableFuture<List<Backend>> list = batch.add(Calls.backends("main"));
            batch.execute();
            assertThat(weighted.join().weight()).isEqualTo(50);
            assertThat(invalid).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.status()).isEqualTo(422));
            assertThat(missing).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThat(list.join()).filteredOn(x -> x.address().equals(addr(a))).singleElement()
                    .satisfies(x -> assertThat(x.weight()).isEqualTo(50));
        }
    }

    @ParameterizedTest
    @MethodSource("codecsAndProtocols")
    void gzippedRequestsAndResponsesRoundTrip(Format format, Http2Mode http2, Protocol expected) throws Exception {
        try (SluiceClient client = SluiceClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort())
                .format(format).http2(http2).gzipThreshold(1).build()) {
            assertThat(client.setWeight("main", addr(a), 9).weight()).isEqualTo(9);   // a gzipped PATCH body
            Batch batch = client.newBatch();
            List<CompletableFuture<Backend>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(batch.add(Calls.backend("main", addr(b))));
            }
            batch.execute();                                                         // a gzipped answer well over 1 KiB
            assertThat(results).allSatisfy(r -> assertThat(r.join().address()).isEqualTo(addr(b)));
        }
    }

    @ParameterizedTest
    @EnumSource(Http2Mode.class)
    void automaticBatchingGroupsConcurrentCalls(Http2Mode http2) throws Exception {
        try (SluiceClient client = SluiceClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort())
                .http2(http2).autoBatching(20, Duration.ofMillis(5)).build()) {
            List<CompletableFuture<Backend>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(client.backendAsync("main", addr(i % 2 == 0 ? a : b)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            assertThat(calls.get(1).join().address()).isEqualTo(addr(b));
        }
    }

    @Test
    void anExportJobStartedThroughTheSdkOverHttp2WritesTheCompressedFile(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(5).nextBytes(data);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www/src.bin"), data);
        Gateway files = StaticFilesGateway.start(dir.resolve("www"));
        Path output = dir.resolve("src.bin.gz");
        try (files; SluiceClient client = client(Format.MSGPACK, Http2Mode.PRIOR_KNOWLEDGE)) {
            Job job = client.createJob(JobSpec.export(StaticFilesGateway.url(files, "src.bin"),
                    output.toString(), "gzip:1").withWorkers(2));
            assertThat(job.type()).isEqualTo("export");
            assertThat(job.spec().compress()).isEqualTo("gzip:1");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.job(job.id()).finished());
            Job done = client.job(job.id());
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo("succeeded");
            assertThat(done.result().compression()).isEqualTo("gzip:1");
            assertThat(done.result().bytesOut()).isEqualTo(Files.size(output));
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(output))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void theCliListsAndDrainsBackends() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        String admin = "http://127.0.0.1:" + gateway.adminPort();
        assertThat(cli.execute("backends", "list", "--admin", admin)).isZero();
        assertThat(out.toString()).contains("main").contains(addr(a)).contains(addr(b));
        assertThat(cli.execute("backends", "drain", "main", addr(a), "--admin", admin)).isZero();
        assertThat(out.toString()).contains("draining");
    }
}
