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

    @Test
    void withoutAProfileTheSeedDefaultsApplyAndPacketWorkersIsOnePerCore() {
        TunnelConfig t = parse(server("")).tunnel().orElseThrow();
        assertThat(t.profile()).isEqualTo(TunnelProfile.DEFAULT);
        assertThat(t.packetWorkers()).isZero();
        assertThat(t.effectivePacketWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(t.udp()).isEqualTo(new TunnelConfig.Udp(10_000, Duration.ofSeconds(60), 256));
        assertThat(t.compression()).isEqualTo(new TunnelConfig.Compression(false, 1));
        assertThat(t.limits().streamWindow()).isEqualTo(1024 * 1024);
        assertThat(t.limits().connectionWindow()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void aProfileSetsWorkersStreamsPoolingAndWindowsTogether() {
        TunnelConfig server = parse(server("  performance: {profile: high_throughput}\n")).tunnel().orElseThrow();
        assertThat(server.limits().maxConcurrentStreams()).isEqualTo(20_000);
        assertThat(server.targetPool().enabled()).isTrue();
        assertThat(server.targetPool().size()).isEqualTo(200);
        assertThat(server.limits().chunkBytes()).isEqualTo(256 * 1024);
        assertThat(server.limits().streamWindow()).isEqualTo(4 * 1024 * 1024);
        assertThat(server.limits().connectionWindow()).isEqualTo(64 * 1024 * 1024);
        assertThat(server.udp().queueSize()).isEqualTo(1024);

        TunnelConfig client = parse(client("  performance: {profile: constrained}\n")).tunnel().orElseThrow();
        assertThat(client.packetWorkers()).isEqualTo(1);
        assertThat(client.effectivePacketWorkers()).isEqualTo(1);
        assertThat(client.limits().maxConcurrentStreams()).isEqualTo(500);
        assertThat(client.connections()).isEqualTo(1);
        assertThat(client.limits().streamWindow()).isEqualTo(128 * 1024);
        assertThat(client.udp().maxSessions()).isEqualTo(500);

        TunnelConfig fast = parse(client("  performance: {profile: low_latency}\n")).tunnel().orElseThrow();
        assertThat(fast.packetWorkers()).isEqualTo(2);
        assertThat(fast.limits().chunkBytes()).isEqualTo(16 * 1024);
        assertThat(fast.limits().retryInitialBackoff()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void explicitKeysOverrideTheProfile() {
        TunnelConfig t = parse(server("""
                  performance: {profile: constrained}
                  packet_workers: 3
                  max_concurrent_streams: 700
                  connection_pool: {enabled: true}
                  stream_window: 256KiB
                """)).tunnel().orElseThrow();
        assertThat(t.packetWorkers()).isEqualTo(3);
        assertThat(t.limits().maxConcurrentStreams()).isEqualTo(700);
        assertThat(t.targetPool().enabled()).isTrue();
        assertThat(t.limits().streamWindow()).isEqualTo(256 * 1024);
        assertThat(t.limits().connectionWindow()).isEqualTo(1024 * 1024); // still the profile's
        assertThat(t.limits().chunkBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void profilesWorkersUdpAndCompressionAreValidated() {
        assertThat(errors(server("  performance: {profile: turbo}\n"))).containsExactly(
                "tunnel.performance.profile: must be one of high_throughput, low_latency, constrained, got \"turbo\"");
        assertThat(errors(server("  performance: {profil: constrained}\n"))).containsExactly(
                "tunnel.performance.profil: unknown key (did you mean \"profile\"?)");
        assertThat(errors(server("  packet_workers: 2000\n")))
                .containsExactly("tunnel.packet_workers: must be 0..1024, got 2000");
        assertThat(errors(server("  udp: {max_sessions: 10}\n"))).containsExactly(
                "tunnel.udp.max_sessions: must be absent when tunnel.role is server (the session table is the"
                        + " client's; UDP streams count against max_concurrent_streams)");
        assertThat(errors(client("  udp: {queue_size: 0, idle_timeout: 10ms}\n"))).containsExactly(
                "tunnel.udp.idle_timeout: must be 100ms..1d, got 10ms",
                "tunnel.udp.queue_size: must be 1..65536, got 0");
        assertThat(errors(client("  compression: {enabled: true, level: 22}\n")))
                .containsExactly("tunnel.compression.level: must be 1..19, got 22");
        assertThat(errors(server("  performance: {profile: constrained}\n  connection_window: 64KiB\n")))
                .containsExactly("tunnel.connection_window: must be at least tunnel.stream_window (128KiB), got 64KiB");
    }

    @Test
    void aUdpListenerNeedsATarget() {
        TunnelConfig t = parse(client("    - {name: dns, port: 5353, protocol: udp, target: \"10.0.0.53:53\"}\n"))
                .tunnel().orElseThrow();
        assertThat(t.listeners().get(1).udp()).isTrue();
        assertThat(t.listeners().get(1).target()).isEqualTo("10.0.0.53:53");
        assertThat(errors(client("    - {name: dns, port: 5353, protocol: udp}\n")))
                .containsExactly("tunnel.listeners[1].target: required");
        assertThat(errors(client("    - {name: dns, port: 5353, protocol: quic, target: \"a:1\"}\n")))
                .containsExactly("tunnel.listeners[1].protocol: must be one of tcp, socks5, udp, got \"quic\"");
    }

    @Test
    void tlsProviderDefaultsToAutoAndIsValidated() {
        assertThat(parse(server("")).tunnel().orElseThrow().tls().provider())
                .isEqualTo(TunnelConfig.TlsProvider.AUTO);
        assertThat(parse(client("  tls: {provider: jdk}\n")).tunnel().orElseThrow().tls().provider())
                .isEqualTo(TunnelConfig.TlsProvider.JDK);
        String openssl = server("").replace("key: %s}".formatted(KEY), "key: %s, provider: openssl}".formatted(KEY));
        assertThat(parse(openssl).tunnel().orElseThrow().tls().provider()).isEqualTo(TunnelConfig.TlsProvider.OPENSSL);
        assertThat(errors(client("  tls: {provider: boringssl}\n"))).containsExactly(
                "tunnel.tls.provider: must be one of auto, openssl, jdk, got \"boringssl\"");
    }
}
