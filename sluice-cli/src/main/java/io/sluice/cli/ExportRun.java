package io.sluice.cli;

import io.sluice.transfer.ExportJob;
import io.sluice.transfer.ExportResult;
import io.sluice.transfer.FetchException;
import io.sluice.transfer.FetchListener;
import io.sluice.transfer.FetchOptions;
import io.sluice.transfer.export.Compression;
import io.sluice.transfer.export.ExportTarget;
import io.sluice.transfer.progress.ProgressPrinter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The export mode of {@code sluice fetch} (seed 000's streaming export): the source, fetched in parallel, is
 * written in order and compressed on the fly to stdout ({@code -o -}), to an HTTP PUT/POST target, or to a file
 * that appears only when complete. Stdout may carry the data, so every message, the progress and the {@code --json}
 * summary go to stderr.
 */
final class ExportRun {

    private final CommandSpec spec;
    private final FetchOptions options;
    private final Compression compression;
    private final long capacity;
    private final String method;
    private final String output;
    private final boolean quiet;
    private final boolean json;
    private final Long progressMillis;
    private final boolean terminal;

    ExportRun(CommandSpec spec, FetchOptions options, Compression compression, long capacity, String method,
              String output, boolean quiet, boolean json, Long progressMillis, boolean terminal) {
        this.spec = spec;
        this.options = options;
        this.compression = compression;
        this.capacity = capacity;
        this.method = method;
        this.output = output;
        this.quiet = quiet;
        this.json = json;
        this.progressMillis = progressMillis;
        this.terminal = terminal;
    }

    int run() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        FetchListener listener = new FetchListener() {
            @Override
            public void notice(String message) {
                if (!quiet) {
                    err.println("sluice fetch: " + message);
                    err.flush();
                }
            }
        };
        ExportJob job = ExportJob.create(options, compression, capacity, listener);
        Thread hook = new Thread(job::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("url", options.url().toString());
        summary.put("output", output);
        summary.put("compression", compression.toString());
        int exit;
        ProgressPrinter.Style style = json ? ProgressPrinter.Style.JSON
                : terminal && !output.equals("-") ? ProgressPrinter.Style.BAR : ProgressPrinter.Style.LINES;
        Duration period = progressMillis == null || style == ProgressPrinter.Style.BAR ? null : Duration.ofMillis(progressMillis);
        try (ProgressPrinter ignored = quiet ? null : new ProgressPrinter(job::progress, err, style, period)) {
            ExportTarget target = open();
            ExportResult r = job.run(target.stream());
            target.commit();
            summary.put("status", "ok");
            summary.put("size", r.size());
            summary.put("bytes_out", r.bytesOut());
            summary.put("ratio", r.size() == 0 ? 1.0 : Math.round(1000.0 * r.bytesOut() / r.size()) / 1000.0);
            summary.put("elapsed_ms", r.elapsedNanos() / 1_000_000);
            summary.put("bytes_per_second", (long) (r.size() * 1e9 / Math.max(1, r.elapsedNanos())));
            summary.put("workers", r.workers());
            summary.put("chunk_size", r.chunkSize());
            summary.put("peak_buffered", r.peakBuffered());
            summary.put("retries", r.retries());
            summary.put("verified", r.digest());
            summary.put("protocol", r.protocol());
            if (!json && !quiet) {
                err.printf("%s: %d bytes read, %d written (%s) in %.1f s%n", output, r.size(), r.bytesOut(),
                        compression, r.elapsedNanos() / 1e9);
            }
            exit = 0;
        } catch (FetchException e) {
            summary.put("status", "failed");
            summary.put("error", e.getMessage());
            err.println("sluice fetch: " + e.getMessage());
            exit = 1;
        } catch (IOException e) {
            summary.put("status", "failed");
            summary.put("error", "writing " + output + " failed: " + e.getMessage());
            err.println("sluice fetch: writing " + output + " failed: " + e.getMessage());
            exit = 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        if (json) {
            err.println(JsonLine.of(summary));
        }
        err.flush();
        return exit;
    }

    private ExportTarget open() throws IOException {
        if (output.equals("-")) {
            OutputStream stdout = new FilterOutputStream(System.out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // never close the process's stdout
                }
            };
            return ExportTarget.of(stdout);
        }
        return ExportTarget.open(output, method, compression);
    }
}
