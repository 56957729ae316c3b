package io.sluice.transfer;

import static io.sluice.transfer.Downloads.MIB;
import static io.sluice.transfer.Downloads.options;
import static io.sluice.transfer.Downloads.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transfer.fixture.FileContent;
import io.sluice.transfer.fixture.RangeFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Downloads end byte-identical to the served file, whatever the size and the server's Range support. */
class FetchDownloadTest {

    @TempDir
    Path dir;

    private RangeFileServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, MIB - 1, MIB, MIB + 1, 7 * MIB + 12_345})
    void downloadIsByteIdenticalForEdgeSizes(long size) throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(size, 1));
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(out).exists().hasSize(size);
        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.size()).isEqualTo(size);
        assertThat(dir.resolve("out.bin.sluice-part")).doesNotExist();
        assertThat(dir.resolve("out.bin.sluice-journal")).doesNotExist();
        assertThat(server.requests()).filteredOn(r -> r.method().equals("GET"))
                .allSatisfy(r -> assertThat(r.ifRange()).isEqualTo(server.content().etag()));
    }

    @Test
    void manyChunksUseSeveralWorkersAndEveryRangeOnce() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(9 * MIB, 1));
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.parallel()).isTrue();
        assertThat(result.workers()).isEqualTo(4);
        for (long offset = 0; offset < 9 * MIB; offset += MIB) {
            assertThat(server.getsStartingAt(offset)).as("GETs at %d", offset).isEqualTo(1);
        }
    }

    @Test
    void autoWorkersGrowWhileEachConnectionIsTheBottleneck() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(8 * MIB, 1));
        server.pieceDelayMillis = 250; // 64 KiB per 250 ms per connection, nearly no CPU: more workers help
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).autoWorkers()
                .tuneWindow(java.time.Duration.ofMillis(500)).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.workers()).isGreaterThanOrEqualTo(4).isLessThanOrEqualTo(16);
    }

    @Test
    void singleChunkFileIsOneStream() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(MIB / 2, 1));
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.parallel()).isFalse();
        assertThat(server.gets()).isEqualTo(1);
    }

    @Test
    void serverWithoutRangeSupportIsDownloadedInOneStream() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(3 * MIB + 7, 1));
        server.ignoreRange = true;
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.parallel()).isFalse();
        assertThat(server.requests()).filteredOn(r -> r.method().equals("GET"))
                .singleElement().satisfies(r -> assertThat(r.range()).isNull());
    }

    @Test
    void serverThatAdvertisesRangesButAnswers200FallsBackToOneStream() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(3 * MIB + 7, 1));
        server.advertiseRangesButIgnore = true;
        Path out = dir.resolve("out.bin");
        Downloads.Recording events = new Downloads.Recording();

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), events).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.parallel()).isFalse();
        assertThat(events.notices).anySatisfy(n -> assertThat(n).contains("one stream"));
    }

    @Test
    void idleWorkersStealTheTailOfSlowRanges() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(3 * MIB, 1));
        server.pieceDelayMillis = 5;
        Path out = dir.resolve("out.bin");

        FetchResult result = FetchJob.create(options(server.uri(), out).workers(4).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.steals()).isPositive();
    }

    @Test
    void lastModifiedIsTheIfRangeValidatorWhenThereIsNoEtag() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(3 * MIB, 1));
        server.noEtag = true;
        server.lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
        Path out = dir.resolve("out.bin");

        FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(server.requests()).filteredOn(r -> r.method().equals("GET"))
                .allSatisfy(r -> assertThat(r.ifRange()).isEqualTo("Wed, 21 Oct 2015 07:28:00 GMT"));
    }

    @Test
    void existingTargetIsReplacedOnlyWhenTheNewFileIsComplete() throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(2 * MIB, 1));
        Path out = dir.resolve("out.bin");
        Files.writeString(out, "old");

        FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
    }
}
