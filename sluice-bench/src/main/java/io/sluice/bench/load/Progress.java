package io.sluice.bench.load;

import io.sluice.bench.load.BenchResult.Second;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The once-a-second progress line on stderr: rewritten in place ({@code \r}) on a terminal, one plain line per
 * second otherwise (logs, CI), nothing with {@code --quiet}.
 */
public final class Progress implements Consumer<Second> {

    private final PrintStream err;
    private final boolean terminal;
    private final boolean quiet;
    private boolean pending;

    public Progress(PrintStream err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** Whether this process's stderr is a terminal (Linux: fd 2 is a tty; elsewhere: there is a console). */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void accept(Second s) {
        if (quiet) {
            return;
        }
        String line = String.format(Locale.ROOT, "%6.0fs  %,10.0f req/s  errors %,d  p99 %.2f ms  max %.2f ms",
                s.t(), s.requestsPerSecond(), s.errors(), s.p99(), s.max());
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            pending = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line, before the summary is printed. */
    public synchronized void finish() {
        if (pending) {
            err.println();
            pending = false;
        }
    }
}
