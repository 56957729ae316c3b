package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {

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
    void versionNamesTheJavaRuntime() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("sluice ").contains("commit").contains("java ");
    }

    @Test
    void helpListsTheSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo").contains("serve").contains("validate");
    }

    @Test
    void validateAcceptsAGoodFile() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "backends:\n  - host: 127.0.0.1\n    port: 9000\n");
        assertThat(run("validate", "-c", file.toString())).isZero();
        assertThat(out.toString()).contains("ok (1 listener(s), 1 route(s), 1 backend(s))");
    }

    @Test
    void validateReportsEveryErrorWithPathAndExitsWithTwo() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                server:
                  backlogg: 5
                backends:
                  - host: 127.0.0.1
                    port: 9000
                    weight: 0
                """);
        assertThat(run("validate", "-c", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("server.backlogg: unknown key (did you mean \"backlog\"?)")
                .contains("weight: must be 1..1000, got 0");
    }

    @Test
    void serveRefusesAnInvalidFileWithExitCodeTwo() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "timeouts:\n  connect: 0s\n");
        assertThat(run("serve", "-c", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("timeouts.connect: must be 1ms..10m, got 0s");
    }
}
