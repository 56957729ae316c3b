package io.sluice.transfer;

import static io.sluice.transfer.Downloads.MIB;
import static io.sluice.transfer.Downloads.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.transfer.fixture.FileContent;
import io.sluice.transfer.fixture.RangeFileServer;
import io.sluice.transfer.journal.CompletedRange;
import io.sluice.transfer.journal.Journal;
import io.sluice.transfer.journal.JournalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a running fetch (a child JVM, {@link Process#destroyForcibly}) loses at most the ranges in flight: the
 * rerun requests none of the bytes the journal lists as complete and produces the identical file.
 */
class KillResumeTest {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    @TempDir
    Path dir;

    @Test
    void killedFetchResumesWithoutRefetchingCompletedRanges() throws Exception {
        try (RangeFileServer server = RangeFileServer.serving(FileContent.pattern(24 * MIB, 1))) {
            server.pieceDelayMillis = 15; // 1 MiB = 16 pieces: ~250 ms a range, the job lasts seconds
            Path out = dir.resolve("killed.bin");
            JournalStore store = new JournalStore(dir.resolve("killed.bin.sluice-journal"));
            Path log = dir.resolve("child.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    FetchChild.class.getName(), server.uri().toString(), out.toString(), "4", Long.toString(MIB)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> completedRanges(store) >= 4);
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed, not finished; log:\n%s", Files.readString(log)).isNotZero();
            assertThat(out).doesNotExist();

            Journal left = store.read().orElseThrow();
            assertThat(left.completedBytes()).isLessThan(24 * MIB);
            int requestsBefore = server.requests().size();
            server.pieceDelayMillis = 0;

            FetchResult result = FetchJob.create(Downloads.options(server.uri(), out).build(), null).run();

            assertThat(sha256(out)).isEqualTo(server.content().sha256());
            assertThat(result.resumedBytes()).isEqualTo(left.completedBytes());
            assertThat(result.bytesFetched()).isEqualTo(24 * MIB - left.completedBytes());
            List<RangeFileServer.Request> rerun = server.requests().subList(requestsBefore, server.requests().size());
            assertThat(rerun).filteredOn(r -> r.method().equals("GET")).isNotEmpty().allSatisfy(r -> {
                Matcher m = RANGE.matcher(r.range());
                assertThat(m.matches()).as("range %s", r.range()).isTrue();
                long first = Long.parseLong(m.group(1));
                long last = Long.parseLong(m.group(2));
                for (CompletedRange done : left.completed()) {
                    assertThat(last < done.offset() || first >= done.offset() + done.length())
                            .as("rerun asked for %s, overlapping completed %d+%d", r.range(), done.offset(), done.length())
                            .isTrue();
                }
            });
            assertThat(store.file()).doesNotExist();
        }
    }

    private static int completedRanges(JournalStore store) {
        try {
            Optional<Journal> journal = store.read();
            return journal.map(j -> j.completed().size()).orElse(0);
        } catch (Exception e) {
            return 0; // being replaced right now: look again
        }
    }
}
