package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** Written out independently of {@code Defaults} so a slip there is caught here. */
    private static final SluiceConfig SEED_DEFAULTS = new SluiceConfig(
            new ServerConfig(0, 2048, 8192, 65536, Duration.ofSeconds(30), List.of(new ListenerConfig(
                    "http", "127.0.0.1", 8080, ListenerConfig.Protocol.HTTP, true, Optional.empty()))),
            new ConnectionSettings(true, Duration.ofSeconds(75), 1000, true, true),
            new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(75)),
            new PoolConfig(0, 5, Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(30),
                    Duration.ofSeconds(10)),
            new ProxyHeaders(true, true, "sluice", true),
            new AdminConfig(true, "127.0.0.1", 9901),
            new AccessLogConfig(false),
            List.of());

    @Test
    void appliesSeedDefaultsWhenKeysAreAbsent() {
        assertThat(parse("")).isEqualTo(SEED_DEFAULTS);
    }

    @Test
    void whitespaceAndCommentOnlyTextGiveTheDefaults() {
        assertThat(parse("  \n\t\n")).isEqualTo(SEED_DEFAULTS);
        assertThat(parse("# nothing configured yet\n")).isEqualTo(SEED_DEFAULTS);
    }

    @Test
    void emptySectionsAndEmptyMappingsTakeTheirDefaults() {
        assertThat(parse("server:\ntimeouts: {}\nadmin:\n")).isEqualTo(SEED_DEFAULTS);
    }

    @Test
    void acceptsExplicitDocumentMarkers() {
        assertThat(parse("---\nadmin: {port: 1}\n...\n").admin().port()).isEqualTo(1);
    }

    @Test
    void bindsEveryKey() {
        SluiceConfig c = parse("""
                server:
                  workers: 4
                  backlog: 100
                  buffer_size: 4KiB
                  max_buffer_size: 1MiB
                  drain_timeout: 0s
                  listeners:
                    - name: public
                      host: 0.0.0.0
                      port: 0
                      protocol: http
                      http2: false
                connection_settings:
                  keep_alive: false
                  keep_alive_timeout: 2m
                  max_requests_per_connection: 1_000_000
                  tcp_nodelay: false
                  tcp_quickack: false
                timeouts:
                  connect: 250ms
                  read: 1h
                  write: 45
                connection_pool:
                  min_idle: 2
                  max_connections: 50
                  idle_timeout: 1d
                  max_lifetime: 24h
                  health_check: 1s
                  wait_timeout: 1ms
                proxy:
                  x_forwarded: false
                  via: false
                  via_name: edge-1.example
                  preserve_host: false
                admin:
                  enabled: false
                  host: ::1
                  port: 0
                access_log:
                  enabled: true
                routes:
                  - name: api
                    host: example.com
                    path_prefix: /api
                    algorithm: round_robin
                    backends:
                      - host: 10.0.0.1
                        port: 9001
                        weight: 1000
                        max_connections: 100000
                """);
        assertThat(c.server()).isEqualTo(new ServerConfig(4, 100, 4096, 1 << 20, Duration.ZERO, List.of(
                new ListenerConfig("public", "0.0.0.0", 0, ListenerConfig.Protocol.HTTP, false, Optional.empty()))));
        assertThat(c.connectionSettings())
                .isEqualTo(new ConnectionSettings(false, Duration.ofMinutes(2), 1_000_000, false, false));
        assertThat(c.timeouts()).isEqualTo(new Timeouts(
                Duration.ofMillis(250), Duration.ofHours(1), Duration.ofSeconds(45), Duration.ofMinutes(2)));
        assertThat(c.connectionPool()).isEqualTo(new PoolConfig(2, 50, Duration.ofDays(1), Duration.ofHours(24),
                Duration.ofSeconds(1), Duration.ofMillis(1)));
        assertThat(c.proxy()).isEqualTo(new ProxyHeaders(false, false, "edge-1.example", false));
        assertThat(c.admin()).isEqualTo(new AdminConfig(false, "::1", 0));
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig(true));
        assertThat(c.routes()).containsExactly(new RouteConfig("api", Optional.of("example.com"), "/api",
                BalancerConfig.of("round_robin"), List.of(new BackendConfig("10.0.0.1", 9001, 1000, 100000))));
    }

    @Test
    void balancerOptionsAreBoundPerRoute() {
        SluiceConfig c = parse("""
                routes:
                  - name: sticky
                    algorithm: ip_hash
                    hash_key: "header:X-User-Id"
                    backends: [{host: a, port: 1}]
                  - name: cart
                    path_prefix: /cart
                    algorithm: ip_hash
                    hash_key: cookie:session
                    backends: [{host: a, port: 1}]
                  - name: fast
                    path_prefix: /fast
                    algorithm: least_response_time
                    slow_start: 30s
                    ewma_decay: 2s
                    backends: [{host: a, port: 1}]
                  - name: plain
                    path_prefix: /plain
                    slow_start: 0s
                    backends: [{host: a, port: 1}]
                """);
        assertThat(c.routes()).extracting(RouteConfig::balancer).containsExactly(
                new BalancerConfig("ip_hash", BalancerConfig.HashKey.header("X-User-Id"), Duration.ZERO,
                        Duration.ofSeconds(10)),
                new BalancerConfig("ip_hash", BalancerConfig.HashKey.cookie("session"), Duration.ZERO,
                        Duration.ofSeconds(10)),
                new BalancerConfig("least_response_time", BalancerConfig.HashKey.CLIENT_IP, Duration.ofSeconds(30),
                        Duration.ofSeconds(2)),
                Defaults.BALANCER);
        assertThat(Defaults.BALANCER.algorithm()).isEqualTo("power_of_two_choices");
    }

    @Test
    void workersAutoMeansOnePerCore() {
        ServerConfig server = parse("server: {workers: auto}").server();
        assertThat(server.workers()).isEqualTo(ServerConfig.AUTO_WORKERS);
        assertThat(server.effectiveWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void routeDefaultsFillNamePrefixAlgorithmWeightAndPoolCeiling() {
        SluiceConfig c = parse("""
                connection_pool: {max_connections: 42}
                routes:
                  - backends: [{host: a, port: 1}]
                  - backends: [{host: b, port: 2, max_connections: 7}]
                """);
        assertThat(c.routes()).containsExactly(
                new RouteConfig("route-0", Optional.empty(), "/", Defaults.BALANCER,
                        List.of(new BackendConfig("a", 1, 100, 42))),
                new RouteConfig("route-1", Optional.empty(), "/", Defaults.BALANCER,
                        List.of(new BackendConfig("b", 2, 100, 7))));
    }

    @Test
    void topLevelBackendsBecomeDefaultRoute() {
        SluiceConfig c = parse("""
                backends:
                  - {host: 127.0.0.1, port: 9001, max_connections: 500}
                  - {host: 127.0.0.1, port: 9002, max_connections: 750}
                """);
        assertThat(c.routes()).containsExactly(new RouteConfig("default", Optional.empty(), "/", Defaults.BALANCER,
                List.of(new BackendConfig("127.0.0.1", 9001, 100, 500),
                        new BackendConfig("127.0.0.1", 9002, 100, 750))));
    }

    @Test
    void bareIntegerDurationsAreSeconds() {
        assertThat(parse("timeouts: {read: 30}").timeouts().read()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void eitherKeepaliveSpellingSetsBothFields() {
        SluiceConfig a = parse("connection_settings: {keep_alive_timeout: 10s}");
        assertThat(a.timeouts().keepalive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.connectionSettings().keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));

        SluiceConfig b = parse("timeouts: {keepalive: 20s}");
        assertThat(b.timeouts().keepalive()).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.connectionSettings().keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void keepaliveSpellingsAgreeByValueNotByText() {
        SluiceConfig c = parse("connection_settings: {keep_alive_timeout: 1m}\ntimeouts: {keepalive: 60}");
        assertThat(c.timeouts().keepalive()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void keepaliveAliasesMustAgree() {
        assertThat(errors("connection_settings: {keep_alive_timeout: 75s}\ntimeouts: {keepalive: 60s}"))
                .containsExactly("timeouts.keepalive: must be the same as connection_settings.keep_alive_timeout"
                        + " (75s), got 60s");
    }

    @Test
    void singleUnnamedListenerIsNamedAfterItsProtocol() {
        assertThat(parse("server: {listeners: [{port: 0}]}").server().listeners())
                .extracting(ListenerConfig::name).containsExactly("http");
    }

    @Test
    void loadResolvesTlsPathsAgainstTheConfigFilesDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/cert.pem"), "cert");
        Files.writeString(dir.resolve("tls/key.pem"), "key");
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, """
                server:
                  listeners:
                    - name: secure
                      protocol: https
                      port: 0
                      tls: {cert: tls/cert.pem, key: ./tls/key.pem, key_password: hunter2}
                """);

        ListenerConfig listener = ConfigLoader.load(file).server().listeners().get(0);

        assertThat(listener.protocol()).isEqualTo(ListenerConfig.Protocol.HTTPS);
        assertThat(listener.tls()).contains(new TlsConfig(
                dir.resolve("tls/cert.pem"), dir.resolve("tls/key.pem"), Optional.of("hunter2")));
    }

    @Test
    void loadNamesTheFileAsSourceOfErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server: {backlog: 0}\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.getMessage())
                .isEqualTo(file + ": 1 configuration error\n  server.backlog: must be 1..65535, got 0");
    }

    @Test
    void loadReportsAMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.errors()).containsExactly(new ConfigError("<file>", "no such file: " + file.toAbsolutePath()));
    }

    @Test
    void loadReportsADirectory(@TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.path()).isEqualTo("<file>");
            assertThat(error.message()).startsWith("cannot read " + dir.toAbsolutePath());
        });
    }
}
