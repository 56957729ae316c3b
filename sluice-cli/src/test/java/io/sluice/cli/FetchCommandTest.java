package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice fetch}: usage errors exit 2 naming option, value and range; transfer failures exit 1 naming the cause. */
class FetchCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void outOfRangeOptionsAreUsageErrorsNamingOptionValueAndRange() {
        String target = dir.resolve("f").toString();
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--workers", "17")).isEqualTo(2);
        assertThat(err.toString()).contains("--workers: 17 (expected: 1..16 or auto)");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--chunk", "512KB")).isEqualTo(2);
        assertThat(err.toString()).contains("--chunk: 512KB (expected: 1MB..64MB)");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--limit", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit: fast (expected: a bandwidth such as");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--limit-burst", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit-burst: 1 (expected: 1KiB..1GiB)");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--limit-profile", "9-5=1Mbps")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit-profile: 9-5=1Mbps (expected: times of day as HH:MM, got 9)");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--limit", "1Mbps", "--limit-time-zone",
                "Mars/Olympus")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit-time-zone: Mars/Olympus (expected: a time zone");
        assertThat(run("fetch", "http://127.0.0.1:1/f", "-o", target, "--checksum", "md5:00")).isEqualTo(2);
        assertThat(err.toString()).contains("--checksum: md5:00 (expected:");
        assertThat(run("fetch", "ftp://example.org/f", "-o", target)).isEqualTo(2);
        assertThat(err.toString()).contains("URL: ftp://example.org/f (expected:");
    }

    @Test
    void missingOutputIsAUsageError() {
        assertThat(run("fetch", "http://127.0.0.1:1/f")).isEqualTo(2);
    }

    @Test
    void unreachableServerFailsWithExitOneAndAJsonSummary() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int code = run("fetch", "http://127.0.0.1:" + port + "/f", "-o", dir.resolve("f").toString(), "--json", "-q");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + port);
        assertThat(out.toString()).contains("\"status\":\"failed\"");
        assertThat(dir.resolve("f")).doesNotExist();
    }
}
