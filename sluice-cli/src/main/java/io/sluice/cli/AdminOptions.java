package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.sluice.client.Format;
import io.sluice.client.SluiceApiException;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceException;
import io.sluice.client.internal.Codec;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the control API is and how to talk to it; shared by {@code sluice backends} and {@code sluice jobs}. */
final class AdminOptions {

    /** Exit code when the API refused the call or could not be reached. */
    static final int FAILED = 1;

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "${env:SLUICE_ADMIN_URL:-http://127.0.0.1:9901}",
            description = "The admin listener (env SLUICE_ADMIN_URL; default ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SLUICE_ADMIN_TOKEN}",
            description = "Bearer token (env SLUICE_ADMIN_TOKEN).")
    String token;

    @Option(names = "--msgpack", description = "Talk MessagePack instead of JSON.")
    boolean msgpack;

    @Option(names = "--json", description = "Print the answer as JSON instead of a table.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    SluiceClient client() {
        return SluiceClient.builder().baseUri(admin).token(token).format(msgpack ? Format.MSGPACK : Format.JSON)
                .requestTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds))).prewarm(0).build();
    }

    /** Runs {@code action} with a client; API and transport failures become a message on stderr and exit 1. */
    int run(PrintWriter out, PrintWriter err, Action action) {
        try (SluiceClient client = client()) {
            action.run(client, out);
            return 0;
        } catch (SluiceApiException e) {
            err.println("error: " + e.getMessage());
            e.problem().errors().forEach(fe -> err.println("  " + fe));
            return FAILED;
        } catch (SluiceException e) {
            err.println("error: " + admin + ": " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    void printJson(PrintWriter out, Object value) {
        try {
            out.println(PrettyJson.WRITER.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Built on first use, not when picocli instantiates these options: every {@code sluice} command line builds the
     * whole command tree, and a static field here loaded ~400 Jackson classes into {@code sluice fetch} and
     * {@code --version} too (a few MiB of RSS and class-loading time; docs/BENCHMARKS.md, "Transfers").
     */
    private static final class PrettyJson {
        static final ObjectWriter WRITER = new Codec().mapper(Format.JSON).writerWithDefaultPrettyPrinter();
    }

    @FunctionalInterface
    interface Action {
        void run(SluiceClient client, PrintWriter out) throws SluiceException;
    }
}
