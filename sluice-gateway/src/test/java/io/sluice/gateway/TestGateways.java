package io.sluice.gateway;

import io.sluice.core.config.ConfigLoader;
import io.sluice.core.config.SluiceConfig;
import io.sluice.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Starts gateways on ephemeral loopback ports for end-to-end tests. */
final class TestGateways {

    private TestGateways() {}

    /** A gateway with one listener "http" and the admin listener, both on port 0; {@code extra} is more YAML. */
    static Gateway start(String extra, TestBackend... backends) throws Exception {
        return Gateway.start(config(extra, backends));
    }

    static SluiceConfig config(String extra, TestBackend... backends) throws Exception {
        String backendYaml = Arrays.stream(backends)
                .map(b -> "      - host: 127.0.0.1\n        port: " + b.port() + "\n")
                .collect(Collectors.joining());
        // Extra "server:" keys join the template's server block (YAML forbids a second one).
        String serverExtra = "";
        if (extra.startsWith("server:\n")) {
            String rest = extra.substring("server:\n".length());
            int end = 0;
            while (end < rest.length() && rest.startsWith("  ", end)) {
                end = rest.indexOf('\n', end) + 1;
            }
            serverExtra = rest.substring(0, end);
            extra = rest.substring(end);
        }
        // Likewise extra "admin:" keys join the template's admin block.
        String adminExtra = "";
        int adminAt = extra.startsWith("admin:\n") ? 0 : extra.indexOf("\nadmin:\n") + 1;
        if (adminAt >= 0 && extra.startsWith("admin:\n", adminAt)) {
            int start = adminAt + "admin:\n".length();
            int end = start;
            while (end < extra.length() && extra.startsWith("  ", end)) {
                int nl = extra.indexOf('\n', end);
                end = nl < 0 ? extra.length() : nl + 1;
            }
            adminExtra = extra.substring(start, end);
            extra = extra.substring(0, adminAt) + extra.substring(end);
        }
        String yaml = """
                server:
                """ + serverExtra + """
                  workers: 2
                  drain_timeout: 5s
                  listeners:
                    - name: http
                      host: 127.0.0.1
                      port: 0
                admin:
                """ + (adminExtra.contains("port:") ? "" : "  port: 0\n") + adminExtra + (extra.contains("health_checks:") ? "" : """
                health_checks:
                  enabled: false   # exact request/connection counts in tests; health tests turn it on
                """) + extra + (backends.length == 0 ? "" : """
                routes:
                  - name: main
                    algorithm: round_robin   # deterministic spreading for assertions
                    backends:
                """ + backendYaml);
        return ConfigLoader.parse(yaml, "test");
    }

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port("http") + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(Gateway gateway, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
