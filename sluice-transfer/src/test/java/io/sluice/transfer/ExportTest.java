package io.sluice.transfer;

import static io.sluice.transfer.Downloads.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.sun.net.httpserver.HttpServer;
import io.sluice.transfer.export.Compression;
import io.sluice.transfer.export.HttpUpload;
import io.sluice.transfer.fixture.FileContent;
import io.sluice.transfer.fixture.RangeFileServer;
import io.sluice.transfer.verify.ExpectedDigest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming export: ranges fetched in parallel come out in file order through a bounded reorder buffer, compressed
 * on the fly, to a stream or an HTTP PUT target, and decompress to the identical source.
 */
class ExportTest {

    private static final long SIZE = 4 * MIB + 4321;

    @TempDir
    Path dir;

    private RangeFileServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private FetchOptions.Builder options() throws Exception {
        if (server == null) {
            server = RangeFileServer.serving(FileContent.halfEmpty(SIZE));
        }
        return Downloads.options(server.uri(), dir.resolve("unused"));
    }

    @Test
    void firstRangeArrivingLastStillComesOutFirstWithinTheBufferBound() throws Exception {
        FetchOptions opts = options().workers(4).build();
        server.slowStart = 0;
        server.slowPieceDelayMillis = 15; // range 0 crawls while the others finish
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ExportResult result = ExportJob.create(opts, Compression.NONE, 0, null).run(out);

        assertThat(sha256(out.toByteArray())).isEqualTo(server.content().sha256());
        assertThat(result.size()).isEqualTo(SIZE);
        assertThat(result.bytesOut()).isEqualTo(SIZE);
        assertThat(result.peakBuffered()).as("workers x chunk").isLessThanOrEqualTo(4 * MIB).isPositive();
        assertThat(server.getsStartingAt(0)).isEqualTo(1);
    }

    @Test
    void aSmallerCapacityBoundsTheBuffer() throws Exception {
        FetchOptions opts = options().workers(4).build();
        server.slowStart = 0;
        server.slowPieceDelayMillis = 5;
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ExportResult result = ExportJob.create(opts, Compression.NONE, 2 * MIB, null).run(out);

        assertThat(sha256(out.toByteArray())).isEqualTo(server.content().sha256());
        assertThat(result.peakBuffered()).isLessThanOrEqualTo(2 * MIB);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip:1", "gzip:9", "zstd:3"})
    void compressedExportDecompressesToTheSource(String format) throws Exception {
        Compression compression = Compression.parse(format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ExportResult result = ExportJob.create(options().build(), compression, 0, null).run(out);

        byte[] compressed = out.toByteArray();
        assertThat(result.bytesOut()).isEqualTo(compressed.length).isLessThan(SIZE * 3 / 4);
        try (InputStream in = format.startsWith("gzip") ? new GZIPInputStream(new ByteArrayInputStream(compressed))
                : new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(server.content().sha256());
        }
    }

    @Test
    void streamsToAnHttpPutTarget() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<String> method = new AtomicReference<>();
        target.createContext("/upload", exchange -> {
            method.set(exchange.getRequestMethod());
            received.set(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        target.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + target.getAddress().getPort() + "/upload");
            ExportResult result = ExportJob.create(options().build(), Compression.parse("gzip:1"), 0, null)
                    .run(HttpUpload.open(uri, "PUT", "application/gzip"));

            assertThat(method.get()).isEqualTo("PUT");
            assertThat(received.get()).hasSize((int) result.bytesOut());
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(received.get()))) {
                assertThat(sha256(in.readAllBytes())).isEqualTo(server.content().sha256());
            }
        } finally {
            target.stop(0);
        }
    }

    @Test
    void checksumIsVerifiedOnTheFlyAndAMismatchFails() throws Exception {
        String good = options().build() == null ? null : server.content().sha256();
        ExportResult ok = ExportJob.create(options().checksum(ExpectedDigest.parseOption("sha256:" + good)).build(),
                Compression.NONE, 0, null).run(new ByteArrayOutputStream());
        assertThat(ok.digest()).isEqualTo("sha256:" + good);

        assertThatThrownBy(() -> ExportJob.create(options().checksum(ExpectedDigest.parseOption("sha256:" + "1".repeat(64)))
                .build(), Compression.NONE, 0, null).run(new ByteArrayOutputStream()))
                .isInstanceOf(FetchException.class).hasMessageContaining("expected " + "1".repeat(64));
    }

    @Test
    void aServerWithoutRangesIsExportedAsOneVerifiedStream() throws Exception {
        server = RangeFileServer.serving(FileContent.halfEmpty(SIZE));
        server.ignoreRange = true; // no Accept-Ranges, 200 to everything
        String sha = server.content().sha256();
        Downloads.Recording listener = new Downloads.Recording();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ExportResult result = ExportJob.create(options().checksum(ExpectedDigest.parseOption("sha256:" + sha)).build(),
                Compression.parse("gzip:1"), 0, listener).run(out);

        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha);
        }
        assertThat(result.size()).isEqualTo(SIZE);
        assertThat(result.workers()).isEqualTo(1);
        assertThat(result.peakBuffered()).isZero();
        assertThat(result.digest()).isEqualTo("sha256:" + sha);
        assertThat(server.gets()).isEqualTo(1);
        assertThat(listener.notices).anyMatch(n -> n.contains("no byte ranges: exporting it as one stream"));
    }

    @Test
    void aStreamThatBreaksAfterItsFirstBytesWentOutFailsRatherThanRestarting() throws Exception {
        server = RangeFileServer.serving(FileContent.halfEmpty(SIZE));
        server.ignoreRange = true;
        server.truncateNext.set(1); // the GET stops half-way and the connection closes

        assertThatThrownBy(() -> ExportJob.create(options().build(), Compression.NONE, 0, null)
                .run(new ByteArrayOutputStream()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("without byte ranges it cannot be continued");
    }

    @Test
    void compressionOptionsAreValidated() {
        assertThat(Compression.parse("gzip").level()).isEqualTo(6);
        assertThat(Compression.parse("zstd:19").toString()).isEqualTo("zstd:19");
        assertThatThrownBy(() -> Compression.parse("gzip:10")).hasMessage("--compress: gzip:10 (expected: none, gzip:1..9 or zstd:1..19)");
        assertThatThrownBy(() -> Compression.parse("brotli:5")).hasMessageContaining("--compress: brotli:5");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
