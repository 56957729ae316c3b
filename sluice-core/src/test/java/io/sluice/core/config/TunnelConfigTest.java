package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code tunnel:} block: seed 003/004 defaults per role, and the mistakes an operator can make in it. */
class TunnelConfigTest {

    private static final Path TLS = Path.of("..", "examples", "tls").toAbsolutePath().normalize();
    private static final String CERT = TLS.resolve("localhost-cert.pem").toString();
    private static final String KEY = TLS.resolve("localhost-key.pem").toString();

    private static String server(String extra) {
        return """
                tunnel:
                  role: server
                  listen: {port: 8443}
                  tls: {cert: %s, key: %s}
                  tokens: [0123456789abcdef]
                  allow: ["127.0.0.1:*", "*.internal:5432", "db:8000-8100"]
                """.formatted(CERT, KEY) + extra;
    }

    private static String client(String extra) {
        return """
                tunnel:
                  role: client
                  server: {host: tunnel.example, port: 8443}
                  token: 0123456789abcdef
                  listeners:
                    - {name: db, port: 15432, target: "db.internal:5432"}
                """ + extra;
    }

    @Test
    void serverRoleTakesSeedDefaults() {
        TunnelConfig t = parse(server("")).tunnel().orElseThrow();
        assertThat(t.role()).isEqualTo(TunnelConfig.Role.SERVER);
        assertThat(t.listen().host()).isEqualTo("0.0.0.0");
        assertThat(t.limits().maxConcurrentStreams()).isEqualTo(10_000);
        assertThat(t.limits().maxFrame()).isEqualTo(1024 * 1024);
        assertThat(t.limits().chunkBytes()).isEqualTo(64 * 1024);
        assertThat(t.limits().handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(t.limits().maxRetryAttempts()).isEqualTo(5);
        assertThat(t.limits().retryInitialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(t.limits().retryMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.targetPool()).isEqualTo(new TunnelConfig.TargetPool(false, 100, Duration.ofSeconds(90)));
        assertThat(t.allow()).containsExactly("127.0.0.1:*", "*.internal:5432", "db:8000-8100");
    }

    @Test
    void clientRoleTakesSeedDefaults() {
        TunnelConfig t = parse(client("")).tunnel().orElseThrow();
        assertThat(t.limits().maxConcurrentStreams()).isEqualTo(5_000);
        assertThat(t.connections()).isEqualTo(2);
        assertThat(t.server().serverName()).isEqualTo("tunnel.example");
        assertThat(t.listeners()).containsExactly(
                new TunnelConfig.Listener("db", "127.0.0.1", 15432, "db.internal", 5432));
    }

    @Test
    void aSocks5ListenerHasNoFixedTarget() {
        TunnelConfig t = parse(client("    - {name: socks, port: 1080, protocol: socks5}\n")).tunnel().orElseThrow();
        assertThat(t.listeners().get(1).socks5()).isTrue();
        assertThat(errors(client("    - {name: socks, port: 1080, protocol: socks5, target: \"a:1\"}\n")))
                .containsExactly("tunnel.listeners[1].target: must be absent when protocol is socks5 (each"
                        + " connection names its target)");
    }

    @Test
    void absentTunnelIsEmpty() {
        assertThat(parse("").tunnel()).isEmpty();
    }

    @Test
    void serverWithoutAnyClientAuthenticationIsRejected() {
        assertThat(errors("""
                tunnel:
                  role: server
                  listen: {port: 8443}
                  tls: {cert: %s, key: %s}
                  allow: ["*:*"]
                """.formatted(CERT, KEY))).containsExactly("tunnel.tokens: required unless tunnel.tls.client_ca is"
                + " set: the tunnel server must authenticate its clients (it is never an open proxy)");
    }

    @Test
    void serverWithoutAllowListIsRejected() {
        assertThat(errors(server("").replace("  allow: [\"127.0.0.1:*\", \"*.internal:5432\", \"db:8000-8100\"]\n",
                ""))).containsExactly("tunnel.allow: required");
        assertThat(errors(server("").replace("\"db:8000-8100\"", "\"db:9000-80\""))).containsExactly(
                "tunnel.allow[2]: must be a target pattern such as host:port, *.domain:port, *:port, host:8000-8100"
                        + " or host:*, got \"db:9000-80\"");
    }

    @Test
    void limitsAreRangeChecked() {
        assertThat(errors(server("  max_concurrent_streams: 0\n")))
                .containsExactly("tunnel.max_concurrent_streams: must be 1..1000000, got 0");
        assertThat(errors(server("  max_frame: 32MiB\n")))
                .containsExactly("tunnel.max_frame: must be 16KiB..16777215B, got 32MiB");
        assertThat(errors(server("  max_frame: 16KiB\n  chunk_bytes: 64KiB\n")))
                .containsExactly("tunnel.chunk_bytes: must be at most tunnel.max_frame (16KiB), got 64KiB");
        assertThat(errors(server("  retry_initial_backoff: 20s\n")))
                .containsExactly("tunnel.retry_initial_backoff: must be at most tunnel.retry_max_backoff (10s), got 20s");
        assertThat(errors(server("  connection_pool: {size: 0}\n")))
                .containsExactly("tunnel.connection_pool.size: must be 1..10000, got 0");
    }

    @Test
    void keysOfTheOtherRoleAreRejected() {
        assertThat(errors(server("  token: 0123456789abcdef\n")))
                .containsExactly("tunnel.token: must be absent when tunnel.role is server");
        assertThat(errors(client("  allow: [\"*:*\"]\n")))
                .containsExactly("tunnel.allow: must be absent when tunnel.role is client");
    }

    @Test
    void clientTargetsAndTokensAreChecked() {
        assertThat(errors(client("").replace("db.internal:5432", "db.internal")))
                .containsExactly("tunnel.listeners[0].target: must be host:port with port 1..65535, got \"db.internal\"");
        assertThat(errors(server("").replace("0123456789abcdef", "short")))
                .containsExactly("tunnel.tokens[0]: must be at least 16 characters (a guessable token is no"
                        + " authentication), got 5");
        assertThat(errors("tunnel: {role: both}"))
                .containsExactly("tunnel.role: must be one of client, server, got \"both\"");
    }

    @Test
    void targetPatternsMatchHostsAndPortRanges() {
        TargetPattern wildcard = TargetPattern.parse("*.internal:5432").orElseThrow();
        assertThat(wildcard.matches("db.internal", 5432)).isTrue();
        assertThat(wildcard.matches("DB.Internal", 5432)).isTrue();
        assertThat(wildcard.matches("internal", 5432)).isFalse();
        assertThat(wildcard.matches("db.internal.evil.com", 5432)).isFalse();
        assertThat(wildcard.matches("db.internal", 5433)).isFalse();
        TargetPattern range = TargetPattern.parse("10.0.0.5:8000-8100").orElseThrow();
        assertThat(range.matches("10.0.0.5", 8050)).isTrue();
        assertThat(range.matches("10.0.0.50", 8050)).isFalse();
        assertThat(TargetPattern.parse("[::1]:*").orElseThrow().matches("::1", 22)).isTrue();
        assertThat(TargetPattern.parse("::1:22")).isEmpty();
        assertThat(TargetPattern.parse("a*b:1")).isEmpty();
    }
}
