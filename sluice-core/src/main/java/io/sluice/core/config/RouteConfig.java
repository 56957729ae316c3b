package io.sluice.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A route ({@code routes[i]}): which requests it takes and the backends that serve them.
 *
 * @param name             unique name, used in metrics
 * @param host             match the request's Host (without port), if set
 * @param pathPrefix       match requests whose path starts with this (default {@code /})
 * @param algorithm        the balancer, e.g. {@code round_robin}
 * @param backends         at least one, unless the route serves static files
 * @param files            serve files from a directory instead of proxying
 * @param compression      response compression for this route
 * @param maxBodySize      largest request body accepted, bytes; larger ones get 413 (default 1 MB, seed 000; 0 = no limit)
 * @param healthChecks     active checks of this route's backends: the top-level {@code health_checks}, with this
 *                         route's {@code health_checks} keys applied over it
 * @param outlierDetection passive health ({@code outlier_detection}); empty when the route has none
 * @param panicRouting     when every backend is down, use them all anyway instead of answering 503
 * @param balancer         hash key, slow start and latency decay for the balancer
 * @param retry            when and how often a failed attempt is retried, on another backend when one is usable
 * @param rateLimit        token buckets that answer 429 beyond the configured rate
 * @param bandwidth        bandwidth throttling: the top-level {@code bandwidth} with this route's keys applied over it
 * @param requestDecompression decompress gzip/deflate/zstd request bodies before forwarding, up to a size limit
 */
public record RouteConfig(
        String name,
        Optional<String> host,
        String pathPrefix,
        String algorithm,
        List<BackendConfig> backends,
        Optional<StaticFilesConfig> files,
        CompressionConfig compression,
        long maxBodySize,
        HealthCheckConfig healthChecks,
        Optional<OutlierConfig> outlierDetection,
        boolean panicRouting,
        BalancerOptions balancer,
        RetryConfig retry,
        RateLimitConfig rateLimit,
        BandwidthConfig bandwidth,
        RequestDecompressionConfig requestDecompression) {

    /** Seed 000's API-route default; upload routes raise it (or set 0 for no limit). */
    public static final long DEFAULT_MAX_BODY_SIZE = 1_000_000;

    public RouteConfig {
        backends = List.copyOf(backends);
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(healthChecks, "healthChecks");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(balancer, "balancer");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(bandwidth, "bandwidth");
        Objects.requireNonNull(requestDecompression, "requestDecompression");
    }

    /** A route as bound before bandwidth limits and request decompression existed; both are off. */
    public RouteConfig(String name, Optional<String> host, String pathPrefix, String algorithm,
                       List<BackendConfig> backends, Optional<StaticFilesConfig> files, CompressionConfig compression,
                       long maxBodySize, HealthCheckConfig healthChecks, Optional<OutlierConfig> outlierDetection,
                       boolean panicRouting, BalancerOptions balancer, RetryConfig retry, RateLimitConfig rateLimit) {
        this(name, host, pathPrefix, algorithm, backends, files, compression, maxBodySize, healthChecks,
                outlierDetection, panicRouting, balancer, retry, rateLimit, BandwidthConfig.UNLIMITED,
                RequestDecompressionConfig.OFF);
    }

    /** A route as bound before balancer options existed; they take their defaults. */
    public RouteConfig(String name, Optional<String> host, String pathPrefix, String algorithm,
                       List<BackendConfig> backends, Optional<StaticFilesConfig> files, CompressionConfig compression,
                       long maxBodySize, HealthCheckConfig healthChecks, Optional<OutlierConfig> outlierDetection,
                       boolean panicRouting) {
        this(name, host, pathPrefix, algorithm, backends, files, compression, maxBodySize, healthChecks,
                outlierDetection, panicRouting, BalancerOptions.DEFAULTS, RetryConfig.DEFAULTS, RateLimitConfig.OFF);
    }

    /** A proxying route with everything else at its defaults. */
    public RouteConfig(String name, Optional<String> host, String pathPrefix, String algorithm,
                       List<BackendConfig> backends) {
        this(name, host, pathPrefix, algorithm, backends, Optional.empty(), CompressionConfig.OFF,
                DEFAULT_MAX_BODY_SIZE, Defaults.HEALTH_CHECKS, Optional.empty(), Defaults.PANIC_ROUTING);
    }
}
