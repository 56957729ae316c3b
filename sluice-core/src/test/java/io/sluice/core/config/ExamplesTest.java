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

        assertThat(c.routes()).containsExactly(new RouteConfig("app", Optional.empty(), "/", Defaults.BALANCER,
                List.of(new BackendConfig("127.0.0.1", 9001, 100, 5),
                        new BackendConfig("127.0.0.1", 9002, 100, 5))));
        assertThat(c.server()).isEqualTo(Defaults.SERVER);
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
        assertThat(c.routes()).extracting(RouteConfig::name).containsExactly("api", "sessions", "search", "web");
        assertThat(c.routes()).extracting(RouteConfig::balancer).containsExactly(
                Defaults.BALANCER,
                new BalancerConfig("ip_hash", BalancerConfig.HashKey.cookie("session"), Duration.ZERO,
                        Defaults.EWMA_DECAY),
                BalancerConfig.of("least_response_time"),
                Defaults.BALANCER);
        RouteConfig api = c.routes().get(0);
        assertThat(api.host()).contains("api.example.com");
        assertThat(api.pathPrefix()).isEqualTo("/api");
        assertThat(api.backends()).containsExactly(
                new BackendConfig("127.0.0.1", 9001, 100, 500), new BackendConfig("127.0.0.1", 9002, 50, 750));
        assertThat(c.routes().get(3).backends()).containsExactly(new BackendConfig("127.0.0.1", 9003, 100, 5));
        assertThat(c.timeouts().keepalive()).isEqualTo(Duration.ofSeconds(75));
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
