package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.Codec;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/jobs runs fetch and export jobs on the daemon, reports progress, cancels, and takes them up again after a
 * restart (a fetch resumes, an export starts again from byte 0).
 */
class TransferJobsTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @TempDir
    Path dir;

    private static final int SIZE = 4 * 1024 * 1024;

    private static byte[] content() {
        byte[] bytes = new byte[SIZE];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private String admin(Path state) {
        return """
                admin:
                  state_dir: %s
                  rate_limit:
                    enabled: false
                """.formatted(state);
    }

    private static JsonNode job(AdminClient api, String id) throws Exception {
        AdminClient.Answer a = api.get("/api/v1/jobs/" + id);
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    @Test
    void aJobSurvivesARestartAndFinishesWithTheRightChecksum() throws Exception {
        byte[] file = content();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        Path state = dir.resolve("state");
        Path output = dir.resolve("out.bin");
        try (SlowRangeServer origin = new SlowRangeServer(file, 500_000)) {
            Gateway first = sluice.start(admin(state));
            AdminClient api = new AdminClient(first, Codec.JSON);
            AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "http://127.0.0.1:" + origin.port() + "/file.bin",
                    "output", output.toString(),
                    "workers", 2,
                    "chunk", "1MB",
                    "checksum", "sha256:" + sha));
            assertThat(created.status()).isEqualTo(202);
            String id = created.body().get("id").asText();
            assertThat(created.headers().firstValue("location")).hasValue("/api/v1/jobs/" + id);
            assertThat(created.body().get("spec").get("workers").asInt()).isEqualTo(2);

            // two workers have at most two 1 MB chunks in flight: past 2.2 MB at least one chunk is journaled
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                JsonNode j = job(api, id);
                return j.get("state").asText().equals("running")
                        && j.get("progress").get("done").asLong() >= 2_200_000;
            });
            JsonNode midway = job(api, id);
            assertThat(midway.get("progress").get("size").asLong()).isEqualTo(SIZE);
            first.close();
            assertThat(Files.exists(output)).isFalse();

            Gateway second = sluice.adopt(io.sluice.gateway.Gateway.start(TestGateways.config(admin(state),
                    sluice.backend())));
            AdminClient again = new AdminClient(second, Codec.MSGPACK);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    job(again, id).get("state").asText().equals("succeeded"));
            JsonNode done = job(again, id);
            assertThat(done.get("resumed").asBoolean()).isTrue();
            assertThat(done.get("result").get("resumed_bytes").asLong()).isPositive();
            assertThat(done.get("result").get("verified").asText()).isEqualTo("sha256:" + sha);
            assertThat(done.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
            assertThat(Files.readAllBytes(output)).isEqualTo(file);
            assertThat(again.get("/api/v1/jobs").body().get("jobs")).hasSize(1);
        }
    }

    @Test
    void aJobCanBeCancelledAndInvalidSpecsAreRefused() throws Exception {
        byte[] file = content();
        try (SlowRangeServer origin = new SlowRangeServer(file, 200_000)) {
            Gateway gateway = sluice.start(admin(dir.resolve("state")));
            AdminClient api = new AdminClient(gateway, Codec.JSON);
            AdminClient.Answer bad = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "ftp://x/y", "output", "relative/path", "workers", 99));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().get("errors")).hasSize(3);
            assertThat(bad.body().get("detail").asText()).startsWith("3 invalid fields: url: must be an http:// or https://");

            Path output = dir.resolve("slow.bin");
            AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "http://127.0.0.1:" + origin.port() + "/f", "output", output.toString()));
            String id = created.body().get("id").asText();
            AdminClient.Answer same = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "http://127.0.0.1:" + origin.port() + "/f", "output", output.toString()));
            assertThat(same.status()).isEqualTo(409);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> job(api, id).get("state").asText()
                    .equals("running"));
            AdminClient.Answer cancelled = api.send("DELETE", "/api/v1/jobs/" + id, null);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.body().get("state").asText()).isEqualTo("cancelled");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> job(api, id).get("state").asText()
                    .equals("cancelled"));
            assertThat(Files.exists(output)).isFalse();
            // a finished job is forgotten on DELETE
            assertThat(api.send("DELETE", "/api/v1/jobs/" + id, null).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void jobsShareTheDaemonsJobBandwidthUnderTheirOwnLimits() throws Exception {
        byte[] file = content();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        try (SlowRangeServer origin = new SlowRangeServer(file, 200_000_000)) {
            Gateway gateway = sluice.start("""
                    admin:
                      rate_limit:
                        enabled: false
                      job_bandwidth:
                        global: 16Mbps
                        burst: 64KiB
                    """);
            AdminClient api = new AdminClient(gateway, Codec.JSON);
            long start = System.nanoTime();
            String[] ids = new String[2];
            for (int i = 0; i < 2; i++) {
                AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of(
                        "url", "http://127.0.0.1:" + origin.port() + "/f", "output", dir.resolve(i + ".bin").toString(),
                        "chunk", "1MB", "limit", "80Mbps", "checksum", "sha256:" + sha));
                assertThat(created.status()).as("%s", created.body()).isEqualTo(202);
                ids[i] = created.body().get("id").asText();
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    job(api, ids[0]).get("state").asText().equals("succeeded")
                            && job(api, ids[1]).get("state").asText().equals("succeeded"));
            double seconds = (System.nanoTime() - start) / 1e9;
            // 2 x 4 MiB at 2 MB/s shared (each job's own 10 MB/s never binds): at least ~4 s, whatever the machine
            double atMostRate = (2.0 * SIZE - 64 * 1024) / seconds;
            assertThat(atMostRate).as("bytes/s of both jobs over %.2f s", seconds).isLessThanOrEqualTo(2_000_000 * 1.05);
            assertThat(Files.readAllBytes(dir.resolve("0.bin"))).isEqualTo(file);
            assertThat(Files.readAllBytes(dir.resolve("1.bin"))).isEqualTo(file);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    @Test
    void anExportJobCompressesToAFileAndAfterARestartStartsAgainFromByteZero() throws Exception {
        byte[] file = content();
        String sha = sha256(file);
        Path state = dir.resolve("state");
        Path output = dir.resolve("out.bin.gz");
        try (SlowRangeServer origin = new SlowRangeServer(file, 500_000)) {
            Gateway first = sluice.start(admin(state));
            AdminClient api = new AdminClient(first, Codec.JSON);
            AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "http://127.0.0.1:" + origin.port() + "/file.bin",
                    "output", output.toString(),
                    "compress", "gzip",
                    "workers", 2,
                    "chunk", "1MB",
                    "checksum", "sha256:" + sha));
            assertThat(created.status()).isEqualTo(202);
            String id = created.body().get("id").asText();
            JsonNode spec = created.body().get("spec");
            assertThat(created.body().get("type").asText()).isEqualTo("export");
            assertThat(spec.get("type").asText()).isEqualTo("export");
            assertThat(spec.get("compress").asText()).isEqualTo("gzip:6");
            assertThat(spec.has("fast_resume")).isFalse();

            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                JsonNode j = job(api, id);
                return j.get("state").asText().equals("running") && j.get("progress").get("done").asLong() >= 1_000_000;
            });
            first.close();
            assertThat(Files.exists(output)).as("an interrupted export leaves no output").isFalse();
            long servedBeforeRestart = origin.bytesServed.get();

            Gateway second = sluice.adopt(io.sluice.gateway.Gateway.start(TestGateways.config(admin(state),
                    sluice.backend())));
            AdminClient again = new AdminClient(second, Codec.MSGPACK);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> job(again, id).get("state").asText()
                    .matches("succeeded|failed"));
            JsonNode done = job(again, id);
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("resumed").asBoolean()).isTrue();
            JsonNode result = done.get("result");
            assertThat(result.get("resumed_bytes").asLong()).as("an export cannot resume").isZero();
            assertThat(origin.bytesServed.get() - servedBeforeRestart).as("the whole source again")
                    .isGreaterThanOrEqualTo(SIZE);
            assertThat(result.get("verified").asText()).isEqualTo("sha256:" + sha);
            assertThat(result.get("compression").asText()).isEqualTo("gzip:6");
            byte[] written = Files.readAllBytes(output);
            assertThat(result.get("bytes_out").asLong()).isEqualTo(written.length);
            assertThat(gunzip(written)).isEqualTo(file);
            assertThat(Files.exists(dir.resolve("out.bin.gz.sluice-export"))).isFalse();
        }
    }

    @Test
    void anExportJobUploadsToAnHttpTarget() throws Exception {
        byte[] file = content();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>();
        target.createContext("/upload", exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            received.set(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        target.start();
        try (SlowRangeServer origin = new SlowRangeServer(file, 50_000_000)) {
            Gateway gateway = sluice.start(admin(dir.resolve("state")));
            AdminClient api = new AdminClient(gateway, Codec.MSGPACK);
            String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/upload";
            AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of(
                    "url", "http://127.0.0.1:" + origin.port() + "/file.bin",
                    "output", url,
                    "compress", "zstd:3",
                    "upload_method", "post"));
            assertThat(created.status()).isEqualTo(202);
            String id = created.body().get("id").asText();
            assertThat(created.body().get("spec").get("upload_method").asText()).isEqualTo("POST");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> job(api, id).get("state").asText()
                    .matches("succeeded|failed"));
            JsonNode done = job(api, id);
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("result").get("path").asText()).isEqualTo(url);
            assertThat(seen.get()).isEqualTo("POST application/zstd");
            assertThat(done.get("result").get("bytes_out").asLong()).isEqualTo(received.get().length);
            try (var in = new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(received.get()))) {
                assertThat(in.readAllBytes()).isEqualTo(file);
            }
        } finally {
            target.stop(0);
        }
    }

    @Test
    void exportOptionsAreCheckedAgainstTheJobType() throws Exception {
        Gateway gateway = sluice.start(admin(dir.resolve("state")));
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        AdminClient.Answer fetchWithExportOptions = api.send("POST", "/api/v1/jobs", Map.of(
                "type", "fetch", "url", "http://127.0.0.1:1/f", "output", "http://127.0.0.1:2/up", "compress", "gzip"));
        assertThat(fetchWithExportOptions.status()).isEqualTo(422);
        assertThat(fetchWithExportOptions.body().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("output", "compress");

        AdminClient.Answer badExport = api.send("POST", "/api/v1/jobs", Map.of(
                "url", "http://127.0.0.1:1/f", "output", dir.resolve("x.gz").toString(), "compress", "gzip:12",
                "fast_resume", true, "upload_method", "PUT"));
        assertThat(badExport.status()).isEqualTo(422);
        assertThat(badExport.body().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("compress", "fast_resume", "upload_method");

        AdminClient.Answer unknownType = api.send("POST", "/api/v1/jobs", Map.of(
                "type", "sync", "url", "http://127.0.0.1:1/f", "output", dir.resolve("y").toString()));
        assertThat(unknownType.body().get("errors").get(0).get("message").asText())
                .isEqualTo("must be fetch or export, got sync");
    }
}
