package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.Gateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice fetch} end to end, as a user runs it: the picocli command against the gateway's {@code static} route,
 * checking files, exit codes, the one-line summary, --quiet, and --json (summary on stdout, progress on stderr).
 */
class FetchEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @TempDir
    Path downloads;

    private Gateway gateway;
    private byte[] data;
    private String sha256;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void serve() throws Exception {
        data = new byte[5 * 1024 * 1024 + 123];
        new Random(11).nextBytes(data);
        Files.write(root.resolve("image.bin"), data);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        gateway = StaticFilesGateway.start(root);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private String url(String name) {
        return StaticFilesGateway.url(gateway, name);
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonRunExitsZeroWithAVerifiedSummaryOnStdoutAndProgressObjectsOnStderr() throws Exception {
        Path target = downloads.resolve("image.bin");
        int code = run("fetch", url("image.bin"), "-o", target.toString(), "--workers", "3", "--chunk", "1MB",
                "--limit", "40MB/s", "--checksum", "sha256:" + sha256, "--json", "--progress-interval", "20");

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(sha256(target)).isEqualTo(sha256);
        assertThat(downloads.resolve("image.bin.sluice-part")).doesNotExist();
        assertThat(downloads.resolve("image.bin.sluice-journal")).doesNotExist();
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode summary = JSON.readTree(lines[0]);
        assertThat(summary.get("status").asText()).isEqualTo("ok");
        assertThat(summary.get("size").asLong()).isEqualTo(data.length);
        assertThat(summary.get("fetched_bytes").asLong()).isEqualTo(data.length);
        assertThat(summary.get("resumed_bytes").asLong()).isZero();
        assertThat(summary.get("parallel").asBoolean()).isTrue();
        assertThat(summary.get("workers").asInt()).isEqualTo(3);
        assertThat(summary.get("verified").asText()).contains(sha256);
        assertThat(summary.get("protocol").asText()).isEqualTo("http/1.1");
        assertThat(err.toString().lines().filter(l -> l.startsWith("{\"event\":\"progress\""))).isNotEmpty()
                .allSatisfy(l -> assertThat(JSON.readTree(l).get("size").asLong()).isEqualTo(data.length));
    }

    @Test
    void plainRunPrintsOneSummaryLineAndQuietRunPrintsNothing() throws Exception {
        Path target = downloads.resolve("plain.bin");
        assertThat(run("fetch", url("image.bin"), "-o", target.toString())).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains(target + ": " + data.length + " bytes in");
        assertThat(sha256(target)).isEqualTo(sha256);

        Path quiet = downloads.resolve("quiet.bin");
        assertThat(run("fetch", url("image.bin"), "-o", quiet.toString(), "--quiet", "--workers", "auto")).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        assertThat(sha256(quiet)).isEqualTo(sha256);
    }

    @Test
    void existingFileIsReplacedByTheDownload() throws Exception {
        Path target = downloads.resolve("again.bin");
        Files.writeString(target, "old");
        assertThat(run("fetch", url("image.bin"), "-o", target.toString(), "-q")).isZero();
        assertThat(sha256(target)).isEqualTo(sha256);
    }

    @Test
    void checksumMismatchExitsOneWithAFailedJsonSummaryAndNoTarget() throws Exception {
        Path target = downloads.resolve("bad.bin");
        String wrong = "0".repeat(64);
        int code = run("fetch", url("image.bin"), "-o", target.toString(), "--checksum", "sha256:" + wrong, "--json", "-q");

        assertThat(code).isEqualTo(1);
        JsonNode summary = JSON.readTree(out.toString().strip());
        assertThat(summary.get("status").asText()).isEqualTo("failed");
        assertThat(summary.get("error").asText()).contains("sha256", "expected " + wrong);
        assertThat(err.toString()).startsWith("sluice fetch: ");
        assertThat(target).doesNotExist();
    }

    @Test
    void missingFileExitsOneNamingTheStatus() {
        Path target = downloads.resolve("missing.bin");
        assertThat(run("fetch", url("missing.bin"), "-o", target.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("404");
        assertThat(target).doesNotExist();
    }

    @Test
    void http2PriorKnowledgeIsUsedWhenAsked() throws Exception {
        Path target = downloads.resolve("h2c.bin");
        assertThat(run("fetch", url("image.bin"), "-o", target.toString(), "--http", "2", "--json", "-q")).isZero();
        JsonNode summary = JSON.readTree(out.toString().strip());
        assertThat(summary.get("protocol").asText()).isEqualTo("h2");
        assertThat(summary.get("connections").asInt()).isEqualTo(1);
        assertThat(sha256(target)).isEqualTo(sha256);
    }

    @Test
    void exportWritesACompressedFileThatDecompressesToTheSourceWithTheSummaryOnStderr() throws Exception {
        Path target = downloads.resolve("image.bin.zst");
        int code = run("fetch", url("image.bin"), "-o", target.toString(), "--compress", "zstd:3", "--chunk", "1MB",
                "--checksum", "sha256:" + sha256, "--json", "-q");

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString()).isEmpty();
        JsonNode summary = JSON.readTree(err.toString().strip());
        assertThat(summary.get("status").asText()).isEqualTo("ok");
        assertThat(summary.get("compression").asText()).isEqualTo("zstd:3");
        assertThat(summary.get("size").asLong()).isEqualTo(data.length);
        assertThat(summary.get("bytes_out").asLong()).isEqualTo(Files.size(target));
        assertThat(summary.get("verified").asText()).isEqualTo("sha256:" + sha256);
        try (var in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(target))) {
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())))
                    .isEqualTo(sha256);
        }
        assertThat(downloads.resolve("image.bin.zst.sluice-export")).doesNotExist();
    }

    @Test
    void failedExportLeavesNoFile() {
        Path target = downloads.resolve("bad.gz");
        int code = run("fetch", url("image.bin"), "-o", target.toString(), "--compress", "gzip:1",
                "--checksum", "sha256:" + "2".repeat(64), "-q");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("expected " + "2".repeat(64));
        assertThat(target).doesNotExist();
        assertThat(downloads.resolve("bad.gz.sluice-export")).doesNotExist();
        assertThat(run("fetch", url("image.bin"), "-o", "-", "--compress", "lz4")).isEqualTo(2);
        assertThat(err.toString()).contains("--compress: lz4 (expected: none, gzip:1..9 or zstd:1..19)");
    }

    @Test
    void usageErrorExitsTwo() {
        assertThat(run("fetch", url("image.bin"), "-o", downloads.resolve("x").toString(), "--workers", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--workers: 0 (expected: 1..16");
        assertThat(run("fetch", url("image.bin"), "-o", downloads.resolve("x").toString(), "--workers", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("--workers: many (expected: 1..16 or auto)");
        assertThat(run("fetch", url("image.bin"), "-o", downloads.resolve("x").toString(), "--http", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--http: 3 (expected: auto, 1.1 or 2)");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
