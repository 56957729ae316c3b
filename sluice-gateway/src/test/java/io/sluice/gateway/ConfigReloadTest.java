package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.api.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /api/v1/config/reload applies a valid file at once and keeps the running config when the file is bad. */
class ConfigReloadTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b", "c");

    @TempDir
    Path dir;

    private String yaml(int listenerPort, String... backends) {
        StringBuilder b = new StringBuilder();
        for (String name : backends) {
            int port = sluice.backend(name.charAt(0) - 'a').port();
            b.append("      - host: 127.0.0.1\n        port: ").append(port).append('\n');
        }
        return """
                server:
                  workers: 2
                  listeners:
                    - name: http
                      host: 127.0.0.1
                      port: %d
                admin:
                  port: 0
                health_checks:
                  enabled: false
                routes:
                  - name: main
                    algorithm: round_robin
                    backends:
                """.formatted(listenerPort) + b;
    }

    private Gateway start(Path file) throws Exception {
        return sluice.adopt(Gateway.start(ConfigLoader.load(file), file));
    }

    private static Set<String> served(Gateway gateway, int n) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            var r = get(gateway, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body());
        }
        return seen;
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aValidFileIsAppliedAtOnceAndReportsWhatChanged(Codec codec) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml(0, "a", "b"));
        Gateway gateway = start(file);
        assertThat(served(gateway, 4)).containsExactlyInAnyOrder("a", "b");

        Files.writeString(file, yaml(0, "b", "c"));
        AdminClient.Answer answer = new AdminClient(gateway, codec).send("POST", "/api/v1/config/reload", null);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.get("applied").asBoolean()).isTrue();
        assertThat(body.get("file").asText()).isEqualTo(file.toString());
        assertThat(body.get("changes").toString())
                .contains("route main: backend 127.0.0.1:" + sluice.backend(2).port() + " added")
                .contains("route main: backend 127.0.0.1:" + sluice.backend(0).port() + " removed");
        assertThat(body.get("restart_required")).isEmpty();
        assertThat(served(gateway, 4)).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aReloadKeepsDrainsOfBackendsItKeepsAndReplacesRuntimeAdditions() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml(0, "a", "b"));
        Gateway gateway = start(file);
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        String a = "127.0.0.1:" + sluice.backend(0).port();
        assertThat(api.send("POST", "/api/v1/routes/main/backends/" + a + "/drain", null).status()).isEqualTo(200);
        assertThat(api.send("POST", "/api/v1/routes/main/backends",
                java.util.Map.of("host", "127.0.0.1", "port", sluice.backend(2).port())).status()).isEqualTo(201);
        assertThat(served(gateway, 4)).containsExactlyInAnyOrder("b", "c");

        assertThat(api.send("POST", "/api/v1/config/reload", null).status()).isEqualTo(200);
        assertThat(served(gateway, 4)).containsExactly("b"); // a still drained, c was not in the file
        JsonNode backends = api.get("/api/v1/routes/main/backends").body().get("backends");
        assertThat(backends).hasSize(2);
        assertThat(backends.get(0).get("admin_state").asText()).isEqualTo("draining");
    }

    @Test
    void aBadFileKeepsTheRunningConfigurationAndListsEveryError() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml(0, "a", "b"));
        Gateway gateway = start(file);
        var before = gateway.config();

        Files.writeString(file, yaml(0, "c").replace("algorithm: round_robin", "algorithm: fastest")
                .replace("    backends:\n", "    max_body_size: -3\n    backends:\n"));
        AdminClient.Answer answer = new AdminClient(gateway, Codec.JSON).send("POST", "/api/v1/config/reload", null);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body().get("detail").asText())
                .startsWith("the configuration file " + file + " is invalid; the running configuration is kept: ");
        JsonNode errors = answer.body().get("errors");
        assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
        Set<String> fields = new HashSet<>();
        errors.forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("routes[0].algorithm", "routes[0].max_body_size");

        assertThat(gateway.config()).isEqualTo(before);
        assertThat(served(gateway, 4)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void listenerChangesAreReportedAsNeedingARestart() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml(0, "a"));
        Gateway gateway = start(file);
        int port = gateway.port("http");

        Files.writeString(file, yaml(port == 65535 ? 65534 : port + 1, "a", "b"));
        var result = gateway.reload();
        assertThat(result.restartRequired()).containsExactly("server");
        assertThat(gateway.port("http")).isEqualTo(port);
        assertThat(served(gateway, 4)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aGatewayStartedWithoutAFileHasNothingToReload() throws Exception {
        Gateway gateway = sluice.start("");
        AdminClient.Answer answer = new AdminClient(gateway, Codec.JSON).send("POST", "/api/v1/config/reload", null);
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().get("detail").asText()).contains("without a configuration file");
    }
}
