package io.sluice.transfer;

import io.sluice.core.config.RetryConfig;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.core.retry.Backoff;
import io.sluice.transfer.http.HttpVersionPolicy;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.verify.ExpectedDigest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything one {@code sluice fetch} job needs, validated once by {@link Builder#build()}.
 *
 * @param workers     parallel ranges; with {@code autoWorkers} the most the tuner may reach
 * @param autoWorkers {@code --workers auto}: start with 2 and double while throughput improves ({@code WorkerTuner}),
 *                    deciding once per {@code tuneWindow}
 * @param chunkSize 0: choose it from the first chunk ({@link ChunkSizer})
 * @param httpVersion HTTP/1.1, HTTP/2 or ALPN's choice ({@code --http})
 * @param trustedCertificates PEM file of certificates to trust instead of the JDK's CAs ({@code --cacert}), or null
 * @param throttle    the core's bandwidth throttle every worker of the job reserves its bytes on ({@code --limit},
 *                    a daemon's shared {@code admin.job_bandwidth} as its parent), or null: unlimited
 */
public record FetchOptions(URI url, Path output, int workers, boolean autoWorkers, Duration tuneWindow, long chunkSize, boolean fastResume,
                           boolean restartOnChange, ExpectedDigest checksum, BandwidthThrottle throttle, int maxAttempts,
                           Backoff backoff, Duration connectTimeout, Duration readTimeout,
                           HttpVersionPolicy httpVersion, Path trustedCertificates) {

    public static final int MIN_WORKERS = 1;
    public static final int MAX_WORKERS = 16;
    public static final int DEFAULT_WORKERS = 4;

    public static Builder builder(URI url, Path output) {
        return new Builder(url, output);
    }

    public Path partFile() {
        return output.resolveSibling(output.getFileName() + ".sluice-part");
    }

    public Path journalFile() {
        return output.resolveSibling(output.getFileName() + ".sluice-journal");
    }

    /**
     * Seed 003's retry pacing, shared with the gateway's routes ({@link RetryConfig#DEFAULTS}): exponential from
     * 100 ms to at most 10 s with full jitter. Per range: {@code maxAttempts} 5.
     */
    public static Backoff defaultBackoff() {
        return Backoff.exponential(RetryConfig.DEFAULTS.initialBackoff(), RetryConfig.DEFAULTS.maxBackoff(),
                ThreadLocalRandom::current);
    }

    /** No waiting between attempts (tests). */
    public static Backoff noBackoff() {
        return Backoff.exponential(Duration.ZERO, Duration.ZERO, ThreadLocalRandom::current);
    }

    /** Builds {@link FetchOptions}; {@link #build()} reports every invalid value at once. */
    public static final class Builder {
        private final URI url;
        private final Path output;
        private int workers = DEFAULT_WORKERS;
        private boolean autoWorkers;
        private Duration tuneWindow = Duration.ofSeconds(1);
        private long chunkSize;
        private boolean fastResume;
        private boolean restartOnChange;
        private ExpectedDigest checksum;
        private BandwidthThrottle throttle;
        private int maxAttempts = 5;
        private Backoff backoff = defaultBackoff();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private HttpVersionPolicy httpVersion = HttpVersionPolicy.AUTO;
        private Path trustedCertificates;

        private Builder(URI url, Path output) {
            this.url = Objects.requireNonNull(url, "url");
            this.output = Objects.requireNonNull(output, "output");
        }

        public Builder workers(int workers) { this.workers = workers; this.autoWorkers = false; return this; }
        /** {@code --workers auto}: tune the count up to {@value #MAX_WORKERS} from measured throughput. */
        public Builder autoWorkers() { this.workers = MAX_WORKERS; this.autoWorkers = true; return this; }
        public Builder tuneWindow(Duration window) { this.tuneWindow = Objects.requireNonNull(window); return this; }
        /** Bytes per chunk, 1 MiB..64 MiB; 0 picks it automatically. */
        public Builder chunkSize(long chunkSize) { this.chunkSize = chunkSize; return this; }
        public Builder fastResume(boolean fastResume) { this.fastResume = fastResume; return this; }
        public Builder restartOnChange(boolean restart) { this.restartOnChange = restart; return this; }
        public Builder checksum(ExpectedDigest checksum) { this.checksum = checksum; return this; }
        /** The job's throttle (shared by its workers; may have a parent shared with other jobs); null: none. */
        public Builder throttle(BandwidthThrottle throttle) { this.throttle = throttle; return this; }
        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }
        public Builder backoff(Backoff backoff) { this.backoff = Objects.requireNonNull(backoff); return this; }
        public Builder connectTimeout(Duration timeout) { this.connectTimeout = Objects.requireNonNull(timeout); return this; }
        public Builder readTimeout(Duration timeout) { this.readTimeout = Objects.requireNonNull(timeout); return this; }

        public Builder httpVersion(HttpVersionPolicy version) { this.httpVersion = Objects.requireNonNull(version); return this; }
        public Builder trustedCertificates(Path pem) { this.trustedCertificates = pem; return this; }

        public FetchOptions build() {
            List<String> problems = new ArrayList<>();
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                problems.add("URL: " + url + " (expected: an http:// or https:// URL with a host)");
            }
            if (workers < MIN_WORKERS || workers > MAX_WORKERS) {
                problems.add("--workers: " + workers + " (expected: " + MIN_WORKERS + ".." + MAX_WORKERS + " or auto)");
            }
            if (tuneWindow.isNegative() || tuneWindow.isZero()) {
                problems.add("tune window: " + tuneWindow + " (expected: > 0)");
            }
            if (chunkSize != 0 && (chunkSize < ChunkSizer.MIN || chunkSize > ChunkSizer.MAX)) {
                problems.add("--chunk: " + chunkSize + " bytes (expected: 1MB..64MB, i.e. "
                        + ChunkSizer.MIN + ".." + ChunkSizer.MAX + " bytes)");
            }
            if (maxAttempts < 1) {
                problems.add("attempts: " + maxAttempts + " (expected: >= 1)");
            }
            if (output.getFileName() == null) {
                problems.add("-o: " + output + " (expected: a file path)");
            }
            if (trustedCertificates != null && !java.nio.file.Files.isReadable(trustedCertificates)) {
                problems.add("--cacert: " + trustedCertificates + " (expected: a readable PEM file)");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return new FetchOptions(url, output.toAbsolutePath(), workers, autoWorkers, tuneWindow, chunkSize, fastResume, restartOnChange,
                    checksum, throttle, maxAttempts, backoff, connectTimeout, readTimeout, httpVersion, trustedCertificates);
        }
    }
}
