package io.sluice.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Active health checks ({@code health_checks:} at the top level, the default for every route, and
 * {@code routes[i].health_checks:}, whose keys override the top level's one by one).
 *
 * @param enabled            run checks at all (default true); with false every backend counts as healthy
 * @param workers            threads that run checks, top level only (default 3, seed 000)
 * @param interval           between the end of one check and the start of the next, jittered ±10 % (default 10 s)
 * @param timeout            connect plus response, or the whole command (default 5 s)
 * @param unhealthyThreshold consecutive failures that take a healthy backend down (default 3)
 * @param healthyThreshold   consecutive successes that bring a down backend back (default 2)
 * @param checkType          {@code http}, {@code tcp} or {@code custom} (default http)
 * @param path               http: the request path (default {@code /health})
 * @param expectedStatus     http: accepted status codes (default 200-399)
 * @param expectedBody       http: a substring the first 64 KiB of the body must contain, if set
 * @param host               http: the Host header; the backend's {@code host:port} when empty
 * @param command            custom: program and arguments, {@code {host}} and {@code {port}} substituted
 */
public record HealthCheckConfig(
        boolean enabled,
        int workers,
        Duration interval,
        Duration timeout,
        int unhealthyThreshold,
        int healthyThreshold,
        CheckType checkType,
        String path,
        List<StatusRange> expectedStatus,
        Optional<String> expectedBody,
        Optional<String> host,
        List<String> command) {

    public HealthCheckConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(checkType, "checkType");
        Objects.requireNonNull(path, "path");
        expectedStatus = List.copyOf(expectedStatus);
        Objects.requireNonNull(expectedBody, "expectedBody");
        Objects.requireNonNull(host, "host");
        command = List.copyOf(command);
    }

    /** The values used when {@code health_checks:} is absent (seed 001's block; 3 workers from seed 000). */
    public static HealthCheckConfig defaults() {
        return Defaults.HEALTH_CHECKS;
    }

    /** True when {@code status} is in one of {@link #expectedStatus()}. */
    public boolean acceptsStatus(int status) {
        for (StatusRange range : expectedStatus) {
            if (range.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /** What a check does. */
    public enum CheckType {
        /** GET {@code path}; healthy on an expected status (and body substring, if set). */
        HTTP,
        /** Healthy when a TCP connection opens within the timeout. */
        TCP,
        /** Runs {@code command}; healthy on exit code 0 within the timeout. */
        CUSTOM;

        /** The YAML spelling. */
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Status codes {@code from..to}, both inclusive; a single code has {@code from == to}. */
    public record StatusRange(int from, int to) {

        public boolean contains(int status) {
            return status >= from && status <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }
}
