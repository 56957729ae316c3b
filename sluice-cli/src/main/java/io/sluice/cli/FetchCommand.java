package io.sluice.cli;

import io.sluice.core.config.BandwidthProfile;
import io.sluice.core.config.Bandwidths;
import io.sluice.core.limit.BandwidthSchedule;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.transfer.FetchException;
import io.sluice.transfer.FetchJob;
import io.sluice.transfer.FetchListener;
import io.sluice.transfer.FetchOptions;
import io.sluice.transfer.FetchResult;
import io.sluice.transfer.LimitBurst;
import io.sluice.transfer.export.Compression;
import io.sluice.transfer.http.HttpVersionPolicy;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.progress.ProgressPrinter;
import io.sluice.transfer.verify.ExpectedDigest;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice fetch URL -o PATH}: a parallel, resumable, verified download (see docs/TRANSFER.md). */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download URL to PATH over parallel ranged connections; rerun the same command to resume.",
                "Exit codes: 0 done and verified, 1 transfer failed, 2 usage error."})
final class FetchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL.")
    String url;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH|-|URL", description = {"Where the file goes (appears only when complete and verified).",
            "'-' streams to stdout and an http(s):// URL uploads to it (export mode, see --compress)."})
    String output;

    @Option(names = "--compress", paramLabel = "FORMAT", description = "Export mode: compress on the fly: none, gzip:1..9, zstd:1..19. With -o PATH the compressed stream is written there.")
    String compress;

    @Option(names = "--upload-method", paramLabel = "METHOD", defaultValue = "PUT", description = "PUT or POST, for -o http(s)://... (default: ${DEFAULT-VALUE}).")
    String uploadMethod;

    @Option(names = "--buffer", paramLabel = "SIZE", description = "Export mode: most bytes held for reordering (default: workers x chunk; chunk defaults to 4MB).")
    String buffer;

    @Option(names = "--workers", paramLabel = "N|auto", defaultValue = "4", description = "Parallel ranges, 1..16, or auto: start with 2 and double while the measured throughput improves (default: ${DEFAULT-VALUE}).")
    String workers;

    @Option(names = "--chunk", paramLabel = "SIZE", description = "Chunk size, 1MB..64MB (default: 8MB, then chosen from the first chunk's speed and latency).")
    String chunk;

    @Option(names = "--limit", paramLabel = "RATE", description = "Bandwidth limit for the job, e.g. 100Mbps or 10MB/s (0: unlimited, e.g. outside --limit-profile windows).")
    String limit;

    @Option(names = "--limit-burst", paramLabel = "SIZE", description = "Bytes that may pass at once after a quiet spell, 1KiB..1GiB (default: a quarter of a second at the highest rate, at least 1MB).")
    String limitBurst;

    @Option(names = "--limit-profile", paramLabel = "WINDOW", description = {"A time window with its own rate in place of --limit, repeatable; the first open one wins:",
            "[DAYS ]HH:MM-HH:MM=RATE, e.g. 'mon-fri 09:00-18:00=50Mbps'."})
    java.util.List<String> limitProfiles = new java.util.ArrayList<>();

    @Option(names = "--limit-time-zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Where --limit-profile times are read, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
    String limitTimeZone;

    @Option(names = "--checksum", paramLabel = "ALGO:HEX", description = "Expected digest of the whole file: sha256:HEX or sha512:HEX.")
    String checksum;

    @Option(names = "--http", paramLabel = "VERSION", defaultValue = "auto", description = "auto (h2 when TLS ALPN offers it, else HTTP/1.1), 1.1, or 2 (ALPN h2 on https, h2c prior knowledge on http). Default: ${DEFAULT-VALUE}.")
    String http;

    @Option(names = "--cacert", paramLabel = "PEM", description = "Trust the certificates in this PEM file instead of the JDK's CAs.")
    Path cacert;

    @Option(names = "--fast-resume", description = "On resume, trust completed chunks without re-reading their CRC32C.")
    boolean fastResume;

    @Option(names = "--restart-on-change", description = "If the remote file changed, start over instead of failing.")
    boolean restartOnChange;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--json", description = "Print a JSON summary on stdout at the end; progress goes to stderr as one JSON object per period.")
    boolean json;

    @Option(names = "--progress-interval", paramLabel = "MS", description = "How often progress is printed when stdout is not a terminal (default: 5000 ms; a terminal's bar: 200 ms).")
    Long progressIntervalMillis;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        FetchOptions options;
        try {
            FetchOptions.Builder b = FetchOptions.builder(URI.create(url), Path.of(exporting() && !isFile() ? "-" : output))
                    .fastResume(fastResume).restartOnChange(restartOnChange)
                    .httpVersion(HttpVersionPolicy.parse(http)).trustedCertificates(cacert);
            if (workers.equalsIgnoreCase("auto")) {
                b.autoWorkers();
            } else {
                b.workers(parseWorkers(workers));
            }
            if (chunk != null) {
                b.chunkSize(ChunkSizer.parse(chunk));
            }
            b.throttle(throttle());
            if (checksum != null) {
                b.checksum(ExpectedDigest.parseOption(checksum));
            }
            options = b.build();
            if (exporting()) {
                Compression compression = Compression.parse(compress == null ? "none" : compress);
                long cap = buffer == null ? 0 : ChunkSizer.parseSize("--buffer", buffer);
                String method = uploadMethod.toUpperCase(java.util.Locale.ROOT);
                if (!method.equals("PUT") && !method.equals("POST")) {
                    throw new IllegalArgumentException("--upload-method: " + uploadMethod + " (expected: PUT or POST)");
                }
                return new ExportRun(spec, options, compression, cap, method, output, quiet, json,
                        progressIntervalMillis, isTerminal()).run();
            }
        } catch (IllegalArgumentException e) {
            err.println("sluice fetch: " + e.getMessage().replace("\n", "\nsluice fetch: "));
            return 2;
        }
        FetchListener listener = new FetchListener() {
            @Override
            public void notice(String message) {
                if (!quiet) {
                    err.println("\nsluice fetch: " + message);
                    err.flush();
                }
            }
        };
        FetchJob job = FetchJob.create(options, listener);
        Thread hook = new Thread(job::cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("url", url);
        summary.put("path", options.output().toString());
        int exit;
        try (ProgressPrinter ignored = quiet ? null : progressPrinter(job::progress)) {
            FetchResult r = job.run();
            summary.put("status", "ok");
            summary.put("size", r.size());
            summary.put("resumed_bytes", r.resumedBytes());
            summary.put("fetched_bytes", r.bytesFetched());
            summary.put("elapsed_ms", r.elapsedNanos() / 1_000_000);
            summary.put("bytes_per_second", (long) (r.bytesFetched() * 1e9 / Math.max(1, r.elapsedNanos())));
            summary.put("parallel", r.parallel());
            summary.put("workers", r.workers());
            summary.put("chunk_size", r.chunkSize());
            summary.put("retries", r.retries());
            summary.put("steals", r.steals());
            summary.put("verified", r.verifiedDigest());
            summary.put("protocol", r.protocol());
            summary.put("connections", r.connections());
            if (!json && !quiet) {
                spec.commandLine().getOut().printf("%s: %d bytes in %.1f s (%d resumed, %d retries)%s%n",
                        r.path(), r.size(), r.elapsedNanos() / 1e9, r.resumedBytes(), r.retries(),
                        r.verifiedDigest() == null ? "" : ", verified " + r.verifiedDigest());
            }
            exit = 0;
        } catch (FetchException e) {
            summary.put("status", "failed");
            summary.put("error", e.getMessage());
            err.println("sluice fetch: " + e.getMessage());
            exit = 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: fine
            }
        }
        if (json) {
            spec.commandLine().getOut().println(JsonLine.of(summary));
        }
        spec.commandLine().getOut().flush();
        err.flush();
        return exit;
    }

    /** The core's throttle for {@code --limit} and its profiles; null when neither is given. */
    private BandwidthThrottle throttle() {
        Long givenBurst = limitBurst == null ? null : Bandwidths.parseBurst("--limit-burst", limitBurst);
        if (limit == null && limitProfiles.isEmpty()) {
            return null;
        }
        long rate = limit == null ? 0 : Bandwidths.parseBitsPerSecond("--limit", limit);
        java.util.List<BandwidthProfile> profiles = limitProfiles.stream()
                .map(p -> Bandwidths.parseProfile("--limit-profile", p)).toList();
        long highest = profiles.stream().mapToLong(BandwidthProfile::bitsPerSecond).reduce(rate, Math::max);
        long burst = givenBurst != null ? givenBurst : LimitBurst.forRate(highest);
        java.time.ZoneId zone = Bandwidths.parseTimeZone("--limit-time-zone", limitTimeZone);
        return BandwidthThrottle.of(BandwidthSchedule.of(rate, profiles, zone), java.time.Clock.systemUTC(), burst);
    }

    /** Export mode: a stream (stdout or an upload) or a compressed file, rather than a resumable download. */
    private boolean exporting() {
        return compress != null || !isFile();
    }

    private boolean isFile() {
        String o = output.toLowerCase(java.util.Locale.ROOT);
        return !o.equals("-") && !o.startsWith("http://") && !o.startsWith("https://");
    }

    private static int parseWorkers(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--workers: " + text + " (expected: " + FetchOptions.MIN_WORKERS + ".."
                    + FetchOptions.MAX_WORKERS + " or auto)");
        }
    }

    private ProgressPrinter progressPrinter(java.util.function.Supplier<io.sluice.transfer.Progress> job) {
        ProgressPrinter.Style style = json ? ProgressPrinter.Style.JSON
                : isTerminal() ? ProgressPrinter.Style.BAR : ProgressPrinter.Style.LINES;
        java.time.Duration period = progressIntervalMillis == null || style == ProgressPrinter.Style.BAR ? null
                : java.time.Duration.ofMillis(progressIntervalMillis);
        return new ProgressPrinter(job, json ? spec.commandLine().getErr() : spec.commandLine().getOut(), style, period);
    }

    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+: a console exists even when redirected; ask whether it is a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
