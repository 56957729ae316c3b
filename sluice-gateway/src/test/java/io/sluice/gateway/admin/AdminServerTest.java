package io.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.sluice.core.config.AdminConfig;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.BalancerConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private static final Transport TRANSPORT = Transport.best();

    private static EventLoopGroup group;
    private static HttpClient client;

    private Readiness readiness;
    private GatewayMetrics metrics;
    private AdminServer server;

    @BeforeAll
    static void startLoops() {
        group = TRANSPORT.newEventLoopGroup(1, "admin-test");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopLoops() {
        client.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startServer() throws IOException {
        readiness = new Readiness();
        metrics = new GatewayMetrics();
        server = AdminServer.start(
                new AdminConfig(true, "127.0.0.1", 0),
                TRANSPORT,
                group,
                readiness,
                BuildInfo.load("/io/sluice/gateway/admin/git-test.properties"),
                metrics.registry());
    }

    @AfterEach
    void stopServer() {
        server.close();
        metrics.close();
    }

    @Test
    void healthzAnswersOk() throws Exception {
        HttpResponse<String> response = get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        HttpResponse<String> response = send(request("/healthz").method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue("3");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void readyzIs503WithReasonsUntilListenersBound() throws Exception {
        readiness.expectListener("http");
        readiness.expectListener("https");
        readiness.setRoutes(List.of(route("api")));

        HttpResponse<String> none = get("/readyz");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body().lines()).containsExactly("listener http not bound", "listener https not bound");
        assertThat(none.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");

        readiness.listenerBound("http");
        HttpResponse<String> one = get("/readyz");
        assertThat(one.statusCode()).isEqualTo(503);
        assertThat(one.body().lines()).containsExactly("listener https not bound");

        readiness.listenerBound("https");
        HttpResponse<String> both = get("/readyz");
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(both.body()).isEqualTo("ready\n");
    }

    @Test
    void readyzIs503WhileARouteHasNoUsableBackend() throws Exception {
        readiness.listenerBound("http");
        readiness.setRoutes(List.of(route("api"), route("web")));
        readiness.setBackendUsability((route, backend) -> !route.name().equals("api"));

        HttpResponse<String> response = get("/readyz");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body().lines()).containsExactly("route api has no usable backend");
    }

    @Test
    void readyzTurns503WhenDrainingStarts() throws Exception {
        readiness.listenerBound("http");
        readiness.setRoutes(List.of(route("api")));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        readiness.startDraining();

        HttpResponse<String> response = get("/readyz");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body().lines()).containsExactly("draining");
        assertThat(get("/healthz").statusCode()).as("still alive while draining").isEqualTo(200);
    }

    @Test
    void versionReportsCommitAndJavaRuntime() throws Exception {
        HttpResponse<String> response = get("/version");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(json.path("version").asText()).isEqualTo("1.2.3-test");
        assertThat(json.path("commit").asText()).isEqualTo("abc1234");
        assertThat(json.path("commitFull").asText()).isEqualTo("abc1234def5678abc1234def5678abc1234def56");
        assertThat(json.path("buildTime").asText()).isEqualTo("2025-01-02T03:04:05+0000");
        assertThat(json.path("java").asText())
                .startsWith(Runtime.version().toString())
                .contains(System.getProperty("java.vendor"));
    }

    @Test
    void metricsExposePrometheusTextWithRequestHistogram() throws Exception {
        metrics.requestCompleted("api", "GET", 200, TimeUnit.MILLISECONDS.toNanos(3));
        metrics.requestCompleted("api", "GET", 204, TimeUnit.MILLISECONDS.toNanos(7));
        metrics.requestCompleted("api", "POST", 503, TimeUnit.MILLISECONDS.toNanos(40));
        metrics.upstreamResponded("10.0.0.1:8080", TimeUnit.MILLISECONDS.toNanos(2));
        metrics.upstreamError("10.0.0.1:8080", "connect_refused");
        metrics.downstreamConnectionOpened();

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = response.body();
        assertThat(body)
                .contains("# TYPE sluice_requests_seconds histogram")
                .containsPattern(line("sluice_requests_seconds_bucket{method=\"GET\",route=\"api\",status_class=\"2xx\",le=\"0.005\"}", 1))
                .containsPattern(line("sluice_requests_seconds_bucket{method=\"GET\",route=\"api\",status_class=\"2xx\",le=\"0.01\"}", 2))
                .containsPattern(line("sluice_requests_seconds_count{method=\"GET\",route=\"api\",status_class=\"2xx\"}", 2))
                .containsPattern(line("sluice_requests_seconds_count{method=\"POST\",route=\"api\",status_class=\"5xx\"}", 1))
                .containsPattern(line("sluice_upstream_response_seconds_count{backend=\"10.0.0.1:8080\"}", 1))
                .containsPattern(line("sluice_upstream_errors_total{backend=\"10.0.0.1:8080\",kind=\"connect_refused\"}", 1))
                .containsPattern(line("sluice_downstream_connections_active", 1))
                .containsPattern(line("sluice_downstream_connections_total", 1))
                .contains("sluice_netty_allocator_memory_used_bytes{allocator=\"pooled\",memory_type=\"direct\"}")
                .contains("sluice_netty_allocator_arenas{allocator=\"pooled\",memory_type=\"heap\"}")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_gc_")
                .contains("process_uptime_seconds");
    }

    @Test
    void metricsSpeakOpenMetricsWhenAskedTo() throws Exception {
        HttpResponse<String> response = send(request("/metrics")
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void metricsFilterByNameLikePrometheusExporters() throws Exception {
        HttpResponse<String> response = get("/metrics?name[]=process_uptime_seconds");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("process_uptime_seconds").doesNotContain("jvm_memory_used_bytes");
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> response = get("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void postIs405() throws Exception {
        HttpResponse<String> response =
                send(request("/healthz").POST(HttpRequest.BodyPublishers.ofString("x=1")));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        String keepAlive = "GET /healthz HTTP/1.1\r\nHost: admin\r\n\r\n";
        String last = "GET /readyz HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n";
        String all;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((keepAlive + keepAlive + last).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            all = readToEnd(socket.getInputStream()); // ends because the server honours Connection: close
        }

        assertThat(all.split("HTTP/1\\.1 ", -1)).hasSize(4);
        assertThat(all).startsWith("HTTP/1.1 200 OK").contains("HTTP/1.1 503 Service Unavailable");
    }

    @Test
    void closeStopsAccepting() {
        int port = server.port();

        server.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void bindingATakenPortFailsWithTheAddress() {
        AdminConfig taken = new AdminConfig(true, "127.0.0.1", server.port());

        assertThatThrownBy(() -> AdminServer.start(
                        taken, TRANSPORT, group, readiness, BuildInfo.load(), metrics.registry()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + server.port());
    }

    /** A whole exposition line: the series, then its value as an integer or a float ({@code 1} or {@code 1.0}). */
    private static String line(String series, int value) {
        return "(?m)^" + Pattern.quote(series) + " " + value + "(\\.0)?$";
    }

    private static RouteConfig route(String name) {
        return new RouteConfig(name, Optional.empty(), "/", BalancerConfig.of("round_robin"),
                List.of(new BackendConfig("127.0.0.1", 8080, 100, 0)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
