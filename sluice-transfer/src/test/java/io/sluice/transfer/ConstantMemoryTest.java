package io.sluice.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transfer.fixture.FileContent;
import io.sluice.transfer.fixture.RangeFileServer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory does not grow with the file: 2 GiB download in a child JVM capped at a 64 MiB heap. */
class ConstantMemoryTest {

    private static final long TWO_GIB = 2L << 30;

    @TempDir
    Path dir;

    @Test
    void twoGibDownloadFitsIn64MibHeap() throws Exception {
        try (RangeFileServer server = RangeFileServer.serving(FileContent.zeros(TWO_GIB))) {
            Path out = dir.resolve("zeros.bin");
            Path log = dir.resolve("child.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m",
                    "-cp", System.getProperty("java.class.path"), FetchChild.class.getName(),
                    server.uri().toString(), out.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = child.waitFor(180, TimeUnit.SECONDS);
            if (!finished) {
                child.destroyForcibly();
            }
            assertThat(finished).as("child finished; log:\n%s", Files.readString(log)).isTrue();
            assertThat(child.exitValue()).as("exit; log:\n%s", Files.readString(log)).isZero();
            assertThat(out).hasSize(TWO_GIB);
            assertThat(sampleIsZero(out)).isTrue();
        }
    }

    private static boolean sampleIsZero(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            for (long at = 0; at < TWO_GIB; at += 97L << 20) {
                buf.clear();
                ch.read(buf, at);
                for (int i = 0; i < buf.position(); i++) {
                    if (buf.get(i) != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
