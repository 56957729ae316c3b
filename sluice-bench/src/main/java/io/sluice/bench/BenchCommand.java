package io.sluice.bench;

import io.sluice.bench.load.BenchResult;
import io.sluice.bench.load.Durations;
import io.sluice.bench.load.HtmlReport;
import io.sluice.bench.load.JsonReport;
import io.sluice.bench.load.LoadGenerator;
import io.sluice.bench.load.LoadOptions;
import io.sluice.bench.load.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice bench URL}: an HTTP load generator with coordinated-omission-corrected latency. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test URL and report latency percentiles, throughput and errors.",
                "Closed model (like wrk) by default; --rate R for an open model at a constant rate, with latency",
                "measured from each request's intended send time (coordinated-omission correction, like wrk2)."},
        footer = {"", "Examples:",
                "  sluice bench -c 50 -d 10s http://127.0.0.1:8080/",
                "  sluice bench --rate 2000 -c 20 -d 30s --warmup 5s --json out.json --html out.html http://127.0.0.1:8080/",
                "  sluice bench --http2 --streams 10 -c 4 -n 100000 https://localhost:8443/ --insecure"})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL to load.")
    String url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Connections to keep open (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", description = "How long to measure, e.g. 10s, 2m (default: 10s unless -n).")
    String duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "Send exactly N measured requests instead of running for a duration.")
    long requests;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "Event loops (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-R", "--rate"}, paramLabel = "R", description = "Open model: R requests/s in total on a fixed schedule (latency from the intended send time).")
    double rate;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "0s", description = "Send load for this long first, unrecorded (default: none).")
    String warmup;

    @Option(names = {"-m", "--method"}, defaultValue = "GET", description = "Request method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "\"Name: value\"", description = "Request header; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "STRING", description = "Request body.")
    String body;

    @Option(names = "--body-file", paramLabel = "PATH", description = "Request body from a file, read once into memory (at most 64 MiB).")
    Path bodyFile;

    @Option(names = "--http2", description = "HTTP/2: h2c by prior knowledge for http://, ALPN h2 for https://.")
    boolean http2;

    @Option(names = "--streams", defaultValue = "1", description = "Concurrent streams per HTTP/2 connection (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = {"-k", "--insecure"}, description = "Do not verify the server's TLS certificate or host name.")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "10s", description = "A request without a complete response after this long is an error (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every figure and the per-second timeline as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report with charts.")
    Path html;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = "--engine", defaultValue = "netty", paramLabel = "netty|virtual-threads",
            description = "What drives the connections (default: netty, measured faster; see docs/BENCHMARKS.md).")
    String engine;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadOptions options;
        try {
            LoadOptions.Builder b = LoadOptions.builder(url)
                    .connections(connections).threads(threads).requests(requests).rate(rate)
                    .warmup(Durations.parse(warmup)).method(method).body(body).bodyFile(bodyFile)
                    .http2(http2).streams(streams).insecure(insecure).timeout(Durations.parse(timeout))
                    .engine(parseEngine(engine));
            if (duration != null) {
                b.duration(Durations.parse(duration));
            }
            for (String h : headers) {
                b.header(LoadOptions.Header.parse(h));
            }
            options = b.build();
        } catch (IllegalArgumentException e) {
            err.println("sluice bench: " + e.getMessage().replace("\n", "\nsluice bench: "));
            return 2;
        }
        Progress progress = new Progress(System.err, Progress.stderrIsTerminal(), quiet);
        BenchResult result;
        try {
            result = LoadGenerator.run(options, progress);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            progress.finish();
            err.println("sluice bench: " + e.getMessage());
            return 2;
        }
        progress.finish();
        out.print(io.sluice.bench.load.TextSummary.format(result));
        out.flush();
        try {
            if (json != null) {
                JsonReport.write(result, json);
            }
            if (html != null) {
                HtmlReport.write(result, html);
            }
        } catch (IOException e) {
            err.println("sluice bench: cannot write report: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static LoadOptions.Engine parseEngine(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "netty" -> LoadOptions.Engine.NETTY;
            case "virtual-threads", "vt" -> LoadOptions.Engine.VIRTUAL_THREADS;
            default -> throw new IllegalArgumentException("--engine: " + s + " (expected: netty or virtual-threads)");
        };
    }
}
