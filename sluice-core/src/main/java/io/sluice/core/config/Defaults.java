package io.sluice.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The values used for every absent key, taken from the seed documents (000: pool sizes; 001: listeners,
 * timeouts, connection settings; 004: admin). Kept in one place so the binders, the tests and
 * docs/CONFIGURATION.md have a single source to agree with.
 */
final class Defaults {

    static final ListenerConfig LISTENER =
            new ListenerConfig("http", "127.0.0.1", 8080, ListenerConfig.Protocol.HTTP, true, Optional.empty());

    static final ServerConfig SERVER = new ServerConfig(
            ServerConfig.AUTO_WORKERS, 2048, 8 * 1024, 64 * 1024, Duration.ofSeconds(30), List.of(LISTENER));

    static final ConnectionSettings CONNECTION_SETTINGS =
            new ConnectionSettings(true, Duration.ofSeconds(75), 1000, true, true);

    static final Timeouts TIMEOUTS = new Timeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(75));

    static final PoolConfig POOL = new PoolConfig(
            0,
            5,
            Duration.ofSeconds(60),
            Duration.ofSeconds(300),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10));

    static final ProxyHeaders PROXY = new ProxyHeaders(true, true, "sluice", true);

    static final AdminConfig ADMIN = new AdminConfig(true, "127.0.0.1", 9901);

    static final AccessLogConfig ACCESS_LOG = new AccessLogConfig(false);

    static final String PATH_PREFIX = "/";
    /** Power of two choices: load-aware at O(1) per pick, and no herd on the least-loaded backend. */
    static final String ALGORITHM = "power_of_two_choices";
    /** {@code least_response_time}'s tau, as Finagle's PeakEwma. */
    static final Duration EWMA_DECAY = Duration.ofSeconds(10);
    /** Declared after the two above: it reads them while this class initialises. */
    static final BalancerConfig BALANCER = BalancerConfig.of(ALGORITHM);
    static final int WEIGHT = 100;

    /** The route a top-level {@code backends:} list becomes (seed 001 shorthand). */
    static final String SHORTHAND_ROUTE_NAME = "default";

    private Defaults() {}

    static SluiceConfig config() {
        return new SluiceConfig(SERVER, CONNECTION_SETTINGS, TIMEOUTS, POOL, PROXY, ADMIN, ACCESS_LOG, List.of());
    }
}
