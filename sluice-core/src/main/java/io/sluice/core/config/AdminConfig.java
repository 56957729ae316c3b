package io.sluice.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener ({@code admin:}, seed 004): /healthz, /readyz, /version, /metrics, and the control API under
 * /api/v1 (issue 8).
 *
 * @param enabled    start it (default true)
 * @param host       bind address (default 127.0.0.1)
 * @param port       bind port (default 9901; 0 picks a free one)
 * @param token      the bearer token /api/v1 requires ({@code admin.token}, else the {@code SLUICE_ADMIN_TOKEN}
 *                   environment variable); empty: no token, allowed only on a loopback address
 * @param stateDir   where transfer jobs are persisted so they survive a restart ({@code admin.state_dir});
 *                   empty: jobs live in memory only
 * @param jobWorkers jobs running at once (seed 000: 10), 1..100
 * @param rateLimit  the control API's rate limit ({@code admin.rate_limit}, seed 000: on, 100/s, burst 20)
 * @param jobBandwidth the bandwidth all transfer jobs share ({@code admin.job_bandwidth}; default unlimited)
 */
public record AdminConfig(boolean enabled, String host, int port, Optional<String> token, Optional<Path> stateDir,
                          int jobWorkers, RateLimitConfig rateLimit, JobBandwidthConfig jobBandwidth) {

    /** Seed 000's API protection: 100 requests a second, burst 20, one bucket for the listener. */
    public static final RateLimitConfig DEFAULT_RATE_LIMIT = new RateLimitConfig(true, 100,
            java.time.Duration.ofSeconds(1), 20, true, false, "client_ip", 100_000, java.time.Duration.ofMinutes(10));

    /** The environment variable read when {@code admin.token} is not set. */
    public static final String TOKEN_ENV = "SLUICE_ADMIN_TOKEN";

    public static final int DEFAULT_JOB_WORKERS = 10;

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(jobBandwidth, "jobBandwidth");
    }

    /** Transfer jobs without a shared bandwidth limit. */
    public AdminConfig(boolean enabled, String host, int port, Optional<String> token, Optional<Path> stateDir,
                       int jobWorkers, RateLimitConfig rateLimit) {
        this(enabled, host, port, token, stateDir, jobWorkers, rateLimit, JobBandwidthConfig.UNLIMITED);
    }

    /** An admin listener without token, state directory or non-default job pool. */
    public AdminConfig(boolean enabled, String host, int port) {
        this(enabled, host, port, Optional.empty(), Optional.empty(), DEFAULT_JOB_WORKERS, DEFAULT_RATE_LIMIT);
    }

    /** Whether {@code host} is a loopback address (a name resolving to one counts); unresolvable names do not. */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "AdminConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token.isPresent() ? "<set>" : "<none>") + ", stateDir=" + stateDir.map(Path::toString).orElse("<none>")
                + ", jobWorkers=" + jobWorkers + ", rateLimit=" + rateLimit + ", jobBandwidth=" + jobBandwidth + "]";
    }
}
