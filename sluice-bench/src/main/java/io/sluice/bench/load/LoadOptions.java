package io.sluice.bench.load;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code sluice bench} run does; immutable, validated once by {@link Builder#build()}, which reports
 * every problem at once in the form {@code --connections: 0 (expected: 1..100000)}.
 *
 * @param url        {@code http://} or {@code https://} target
 * @param requests   total measured requests ({@code -n}); 0 when the run is bounded by {@code duration}
 * @param rate       requests per second for the open model; 0 for the closed model
 * @param streams    concurrent streams per HTTP/2 connection (1 for HTTP/1.1)
 * @param bodyFile   request body read from a file, or null; at most {@link RequestTemplate#MAX_BODY_FILE_BYTES}
 */
public record LoadOptions(
        URI url, String method, List<Header> headers, String body, Path bodyFile,
        int connections, int threads, Duration duration, long requests, double rate, Duration warmup,
        boolean http2, int streams, boolean insecure, Duration timeout, Engine engine) {

    /** One {@code -H "Name: value"}. */
    public record Header(String name, String value) {
        public static Header parse(String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(line + " (expected: \"Name: value\")");
            }
            return new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
    }

    /** What drives the connections: Netty event loops (default, faster) or one virtual thread per connection. */
    public enum Engine { NETTY, VIRTUAL_THREADS }

    public boolean tls() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
    }

    /** Path and query as sent on the request line; {@code /} when the URL has none. */
    public String pathAndQuery() {
        String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? p : p + "?" + url.getRawQuery();
    }

    /** The value of the Host header / :authority. */
    public String authority() {
        boolean defaultPort = url.getPort() < 0;
        return defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    public boolean openModel() {
        return rate > 0;
    }

    /** Lanes = requests that may be in flight at once. */
    public int lanes() {
        return connections * (http2 ? streams : 1);
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Defaults: GET, 10 connections, 1 thread, 10 s, closed model, no warm-up, HTTP/1.1, 10 s timeout. */
    public static final class Builder {
        private final String url;
        private String method = "GET";
        private final List<Header> headers = new ArrayList<>();
        private String body;
        private Path bodyFile;
        private int connections = 10;
        private int threads = 1;
        private Duration duration;
        private long requests;
        private double rate;
        private Duration warmup = Duration.ZERO;
        private boolean http2;
        private int streams = 1;
        private boolean insecure;
        private Duration timeout = Duration.ofSeconds(10);
        private Engine engine = Engine.NETTY;

        private Builder(String url) {
            this.url = url;
        }

        public Builder method(String v) { method = v; return this; }
        public Builder header(String name, String value) { headers.add(new Header(name, value)); return this; }
        public Builder header(Header h) { headers.add(h); return this; }
        public Builder body(String v) { body = v; return this; }
        public Builder bodyFile(Path v) { bodyFile = v; return this; }
        public Builder connections(int v) { connections = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        public Builder requests(long v) { requests = v; return this; }
        public Builder rate(double v) { rate = v; return this; }
        public Builder warmup(Duration v) { warmup = v; return this; }
        public Builder http2(boolean v) { http2 = v; return this; }
        public Builder streams(int v) { streams = v; return this; }
        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder engine(Engine v) { engine = v; return this; }

        /** Validates everything and reports all problems in one {@link IllegalArgumentException}. */
        public LoadOptions build() {
            List<String> problems = new ArrayList<>();
            URI uri = null;
            try {
                uri = URI.create(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    problems.add("URL: " + url + " (expected: http://host[:port]/path or https://...)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("URL: " + url + " (" + e.getMessage() + ")");
            }
            if (method == null || !method.matches("[A-Za-z]+")) {
                problems.add("--method: " + method + " (expected: a token such as GET, POST)");
            }
            range(problems, "--connections", connections, 1, 100_000);
            range(problems, "--threads", threads, 1, 1024);
            range(problems, "--streams", streams, 1, 10_000);
            if (streams > 1 && !http2) {
                problems.add("--streams: " + streams + " (expected: 1 without --http2; HTTP/1.1 has one request in flight per connection)");
            }
            if (requests < 0) {
                problems.add("-n/--requests: " + requests + " (expected: >= 1)");
            }
            Duration effective = duration;
            if (requests > 0 && duration != null) {
                problems.add("-n and -d both given (expected: one of them)");
            } else if (requests == 0 && duration == null) {
                effective = Duration.ofSeconds(10);
            }
            if (effective != null && (effective.isNegative() || effective.isZero())) {
                problems.add("-d/--duration: " + effective + " (expected: > 0)");
            }
            if (rate < 0 || Double.isNaN(rate) || rate > 10_000_000) {
                problems.add("--rate: " + rate + " (expected: 1..10000000 requests/s)");
            }
            if (warmup.isNegative()) {
                problems.add("--warmup: " + warmup + " (expected: >= 0)");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                problems.add("--timeout: " + timeout + " (expected: > 0)");
            }
            if (body != null && bodyFile != null) {
                problems.add("--body and --body-file both given (expected: one of them)");
            }
            if (bodyFile != null && !Files.isReadable(bodyFile)) {
                problems.add("--body-file: " + bodyFile + " (expected: a readable file)");
            }
            if (engine == Engine.VIRTUAL_THREADS && (http2 || "https".equalsIgnoreCase(uri == null ? null : uri.getScheme()))) {
                problems.add("--engine virtual-threads: supports plain http:// HTTP/1.1 only (expected: --engine netty)");
            }
            for (Header h : headers) {
                if (!h.name().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    problems.add("-H: " + h.name() + " (expected: a header name token)");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return new LoadOptions(uri, method.toUpperCase(Locale.ROOT), List.copyOf(headers), body, bodyFile,
                    connections, threads, effective, requests, rate, warmup, http2, http2 ? streams : 1,
                    insecure, timeout, engine);
        }

        private static void range(List<String> problems, String name, int v, int min, int max) {
            if (v < min || v > max) {
                problems.add(name + ": " + v + " (expected: " + min + ".." + max + ")");
            }
        }
    }
}
