package io.sluice.transfer;

import static io.sluice.transfer.Downloads.MIB;
import static io.sluice.transfer.Downloads.options;
import static io.sluice.transfer.Downloads.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.transfer.fixture.FileContent;
import io.sluice.transfer.fixture.RangeFileServer;
import io.sluice.transfer.journal.Journal;
import io.sluice.transfer.journal.JournalStore;
import io.sluice.transfer.plan.ByteRange;
import io.sluice.transfer.verify.ExpectedDigest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults heal through retries, changes are never stitched, interrupted jobs resume without refetching. */
class FetchIntegrityTest {

    @TempDir
    Path dir;

    private RangeFileServer server;
    private Path out;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(long size) throws Exception {
        server = RangeFileServer.serving(FileContent.pattern(size, 1));
        out = dir.resolve("out.bin");
    }

    @Test
    void truncatedBodiesWrongContentRangesResetsAnd503sHealThroughRetries() throws Exception {
        serve(8 * MIB + 3);
        server.truncateNext.set(3);
        server.wrongContentRangeNext.set(3);
        server.unavailableNext.set(2);
        server.resetProbability = 0.3;
        Downloads.Recording events = new Downloads.Recording();

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), events).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.retries()).isPositive();
        assertThat(events.retries).anySatisfy(r -> assertThat(r).contains("wrong Content-Range"));
    }

    @Test
    void fileChangedMidDownloadStopsWithAClearErrorAndNoTarget() throws Exception {
        serve(6 * MIB);
        server.changeAfterGets = 2;

        assertThatThrownBy(() -> FetchJob.create(options(server.uri(), out).workers(2).build(), null).run())
                .isInstanceOf(FileChangedException.class)
                .hasMessageContaining("changed during the download")
                .hasMessageContaining("--restart-on-change");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("out.bin.sluice-journal")).exists();
    }

    @Test
    void restartOnChangeDownloadsTheNewVersionWhole() throws Exception {
        serve(6 * MIB);
        server.changeAfterGets = 2;

        FetchJob.create(options(server.uri(), out).workers(2).restartOnChange(true).build(), null).run();

        assertThat(sha256(out)).isEqualTo(FileContent.pattern(6 * MIB, 2).sha256());
    }

    @Test
    void changeBetweenRunsIsDetectedOnResume() throws Exception {
        serve(6 * MIB);
        interruptAfterRanges(2);
        server.content(FileContent.pattern(6 * MIB, 2));

        assertThatThrownBy(() -> FetchJob.create(options(server.uri(), out).build(), null).run())
                .isInstanceOf(FileChangedException.class)
                .hasMessageContaining("changed since the interrupted download");
        assertThat(out).doesNotExist();
    }

    @Test
    void interruptedDownloadResumesWithoutRefetchingCompletedChunks() throws Exception {
        serve(10 * MIB);
        Journal before = interruptAfterRanges(3);
        assertThat(out).doesNotExist();
        assertThat(before.completed()).hasSizeGreaterThanOrEqualTo(3);
        Map<Long, Long> getsBefore = before.completed().stream()
                .collect(Collectors.toMap(c -> c.offset(), c -> server.getsStartingAt(c.offset())));
        server.pieceDelayMillis = 0;

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.resumedBytes()).isEqualTo(before.completedBytes());
        getsBefore.forEach((offset, gets) ->
                assertThat(server.getsStartingAt(offset)).as("GETs at %d", offset).isEqualTo(gets));
        assertThat(dir.resolve("out.bin.sluice-journal")).doesNotExist();
    }

    @Test
    void resumeRefetchesAChunkWhoseBytesNoLongerMatchTheirCrc() throws Exception {
        serve(6 * MIB);
        Journal before = interruptAfterRanges(2);
        long damaged = before.completed().get(0).offset() + 10;
        try (FileChannel ch = FileChannel.open(dir.resolve("out.bin.sluice-part"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42, 43, 44}), damaged);
        }
        server.pieceDelayMillis = 0;
        Downloads.Recording events = new Downloads.Recording();

        FetchJob.create(options(server.uri(), out).build(), events).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(events.notices).anySatisfy(n -> assertThat(n).contains("failed CRC32C re-verification"));
    }

    @Test
    void corruptJournalIsDetectedAndTheDownloadStartsOver() throws Exception {
        serve(6 * MIB);
        interruptAfterRanges(2);
        Path journal = dir.resolve("out.bin.sluice-journal");
        Files.writeString(journal, Files.readString(journal).replaceFirst("\"length\" : \\d+", "\"length\" : 1"));
        server.pieceDelayMillis = 0;
        Downloads.Recording events = new Downloads.Recording();

        FetchResult result = FetchJob.create(options(server.uri(), out).build(), events).run();

        assertThat(sha256(out)).isEqualTo(server.content().sha256());
        assertThat(result.resumedBytes()).isZero();
        assertThat(events.notices).anySatisfy(n -> assertThat(n).contains("is corrupt"));
    }

    @Test
    void truncatedJournalIsDetected() throws Exception {
        serve(3 * MIB);
        interruptAfterRanges(1);
        Path journal = dir.resolve("out.bin.sluice-journal");
        Files.writeString(journal, Files.readString(journal).substring(0, 40));

        assertThatThrownBy(() -> new JournalStore(journal).read()).hasMessageContaining("is corrupt");
    }

    @Test
    void matchingChecksumIsVerifiedAndAMismatchFailsWithoutATarget() throws Exception {
        serve(3 * MIB);
        String good = server.content().sha256();

        FetchResult ok = FetchJob.create(options(server.uri(), out)
                .checksum(ExpectedDigest.parseOption("sha256:" + good)).build(), null).run();
        assertThat(ok.verifiedDigest()).isEqualTo("sha256:" + good);

        Path other = dir.resolve("other.bin");
        String bad = "0".repeat(64);
        assertThatThrownBy(() -> FetchJob.create(options(server.uri(), other)
                .checksum(ExpectedDigest.parseOption("sha256:" + bad)).build(), null).run())
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("sha256 is " + good + ", expected " + bad);
        assertThat(other).doesNotExist();
    }

    @Test
    void reprDigestFromTheServerIsVerifiedAutomatically() throws Exception {
        serve(2 * MIB + 5);
        byte[] wrong = new byte[32];
        server.reprDigest = "sha-256=:" + Base64.getEncoder().encodeToString(wrong) + ":";

        assertThatThrownBy(() -> FetchJob.create(options(server.uri(), out).build(), null).run())
                .hasMessageContaining("from Repr-Digest");
        assertThat(out).doesNotExist();

        server.reprDigest = "sha-256=:" + Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(server.content().sha256())) + ":";
        FetchResult result = FetchJob.create(options(server.uri(), out).build(), null).run();
        assertThat(result.verifiedDigest()).isEqualTo("sha256:" + server.content().sha256());
    }

    /** Runs a slow download and cancels it once {@code ranges} ranges are journaled; returns the journal left behind. */
    private Journal interruptAfterRanges(int ranges) throws Exception {
        server.pieceDelayMillis = 2;
        AtomicReference<FetchJob> job = new AtomicReference<>();
        Downloads.Recording events = new Downloads.Recording() {
            @Override
            public void rangeCompleted(ByteRange range) {
                super.rangeCompleted(range);
                if (completed.size() >= ranges) {
                    job.get().cancel();
                }
            }
        };
        job.set(FetchJob.create(options(server.uri(), out).workers(2).build(), events));
        assertThatThrownBy(() -> job.get().run()).isInstanceOf(FetchException.class).hasMessageContaining("cancelled");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("out.bin.sluice-part")).exists();
        return new JournalStore(dir.resolve("out.bin.sluice-journal")).read().orElseThrow();
    }
}
