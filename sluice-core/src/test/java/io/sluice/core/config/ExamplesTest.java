package io.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shipped examples are documentation; this keeps them loadable as the schema evolves. */
class ExamplesTest {

    private static final Path EXAMPLES = examplesDir();

    @Test
    void minimalExampleIsOneRouteWithTwoBackends() throws ConfigException {
        SluiceConfig c = ConfigLoader.load(EXAMPLES.resolve("minimal.yaml"));

        assertThat(c.routes()).containsExactly(new RouteConfig("app", Optional.empty(), "/", "power_of_two_choices",
                List.of(new BackendConfig("127.0.0.1", 9001, 100, 5),
                        new BackendConfig("127.0.0.1", 9002, 100, 5)), Optional.empty(), CompressionConfig.OFF,
                RouteConfig.DEFAULT_MAX_BODY_SIZE, Defaults.HEALTH_CHECKS, Optional.empty(), false));
        assertThat(c.server()).isEqualTo(Defaults.SERVER);
    }

    @Test
    void tunnelExamplesLoadAsAMatchingServerAndClient() throws ConfigException {
        TunnelConfig server = ConfigLoader.load(EXAMPLES.resolve("tunnel-server.yaml")).tunnel().orElseThrow();
        TunnelConfig client = ConfigLoader.load(EXAMPLES.resolve("tunnel-client.yaml")).tunnel().orElseThrow();
        assertThat(server.role()).isEqualTo(TunnelConfig.Role.SERVER);
        assertThat(client.role()).isEqualTo(TunnelConfig.Role.CLIENT);
        assertThat(client.server().port()).isEqualTo(server.listen().port());
        assertThat(server.tokens()).containsExactly(client.token().orElseThrow());
        TargetPattern allowed = TargetPattern.parse(server.allow().get(0)).orElseThrow();
        assertThat(allowed.matches(client.listeners().get(0).targetHost(), client.listeners().get(0).targetPort()))
                .isTrue();
    }

    @Test
    void fullExampleLoadsWithTheDocumentedValues() throws ConfigException {
        SluiceConfig c = ConfigLoader.load(EXAMPLES.resolve("full.yaml"));

        assertThat(c.server().workers()).isEqualTo(ServerConfig.AUTO_WORKERS);
        assertThat(c.server().bufferSize()).isEqualTo(8 * 1024);
        assertThat(c.server().listeners()).extracting(ListenerConfig::name).containsExactly("http", "https");
        ListenerConfig https = c.server().listeners().get(1);
        assertThat(https.protocol()).isEqualTo(ListenerConfig.Protocol.HTTPS);
        assertThat(https.tls()).contains(new TlsConfig(EXAMPLES.resolve("tls/localhost-cert.pem"),
                EXAMPLES.resolve("tls/localhost-key.pem"), Optional.empty()));
        assertThat(c.connectionSettings()).isEqualTo(Defaults.CONNECTION_SETTINGS);
        assertThat(c.timeouts()).isEqualTo(Defaults.TIMEOUTS);
        assertThat(c.connectionPool()).isEqualTo(Defaults.POOL);
        assertThat(c.proxy()).isEqualTo(Defaults.PROXY);
        assertThat(c.admin()).isEqualTo(Defaults.ADMIN);
        assertThat(c.accessLog()).isEqualTo(Defaults.ACCESS_LOG);
        assertThat(c.routes()).extracting(RouteConfig::name).containsExactly("api", "assets", "web");
        assertThat(c.routes().get(1).files()).contains(new StaticFilesConfig(EXAMPLES.resolve("public")));
        assertThat(c.routes().get(1).compression().enabled()).isTrue();
        assertThat(c.compression().gzipLevel()).isEqualTo(6);
        RouteConfig api = c.routes().get(0);
        assertThat(api.host()).contains("api.example.com");
        assertThat(api.pathPrefix()).isEqualTo("/api");
        assertThat(api.backends()).containsExactly(
                new BackendConfig("127.0.0.1", 9001, 100, 500), new BackendConfig("127.0.0.1", 9002, 50, 750));
        assertThat(c.routes().get(2).backends()).containsExactly(new BackendConfig("127.0.0.1", 9003, 100, 5));
        assertThat(c.timeouts().keepalive()).isEqualTo(Duration.ofSeconds(75));
        assertThat(c.healthChecks()).isEqualTo(Defaults.HEALTH_CHECKS);
        assertThat(api.healthChecks().path()).isEqualTo("/api/health");
        assertThat(api.outlierDetection()).contains(Defaults.OUTLIER);
        assertThat(api.panicRouting()).isFalse();
        assertThat(c.routes().get(1).healthChecks()).isEqualTo(Defaults.HEALTH_CHECKS);
        assertThat(c.routes().get(1).outlierDetection()).isEmpty();
    }

    /** Surefire runs in the module directory; the examples live at the repository root above it. */
    private static Path examplesDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/minimal.yaml"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }
}
