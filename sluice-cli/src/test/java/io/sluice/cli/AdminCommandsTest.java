package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sluice backends} and {@code sluice jobs} against a canned control API on 127.0.0.1. */
class AdminCommandsTest {

    private static final String BACKEND = """
            {"address":"127.0.0.1:9001","host":"127.0.0.1","port":9001,"weight":%d,"admin_state":"%s","health":"healthy",
             "ejected":false,"usable":true,"in_flight":2,"pool":{"total":3,"active":2,"idle":1,"pending":0}}""";
    private static final String ROUTES = "{\"routes\":[{\"name\":\"app\",\"path_prefix\":\"/\",\"algorithm\":\"round_robin\",\"backends\":["
            + BACKEND.formatted(100, "enabled") + "]}]}";
    private static final String PROBLEM = """
            {"type":"https://sluice.dev/problems/validation","title":"Validation failed","status":422,
             "detail":"weight: must be 1..1000, got 0","errors":[{"field":"weight","message":"must be 1..1000, got 0"}]}""";
    private static final String JOB = """
            {"id":"j1","type":"fetch","state":"succeeded","spec":{"url":"http://h/f","output":"/tmp/f"},
             "created_at":"2026-11-23T16:00:00Z","progress":{"size":100,"done":100}}""";

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestMethod() + " " + path + " " + body + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            String answer;
            int status = 200;
            String type = "application/json";
            if (path.equals("/api/v1/routes")) {
                answer = ROUTES;
            } else if (path.startsWith("/api/v1/routes/app/backends/") && ex.getRequestMethod().equals("PATCH")) {
                if (body.contains("\"weight\":0")) {
                    status = 422;
                    type = "application/problem+json";
                    answer = PROBLEM;
                } else {
                    answer = BACKEND.formatted(Integer.parseInt(body.replaceAll("\\D", "")), "enabled");
                }
            } else if (path.endsWith("/drain")) {
                answer = BACKEND.formatted(100, "draining");
            } else if (path.equals("/api/v1/jobs") && ex.getRequestMethod().equals("GET")) {
                answer = "{\"jobs\":[" + JOB + "]}";
            } else if (path.startsWith("/api/v1/jobs")) {
                status = ex.getRequestMethod().equals("POST") ? 202 : 200;
                answer = JOB;
            } else {
                status = 404;
                type = "application/problem+json";
                answer = "{\"type\":\"https://sluice.dev/problems/not-found\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no " + path + "\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--admin";
        all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return cli.execute(all);
    }

    @Test
    void backendsListPrintsEveryRoutesBackendsWithTheirLiveState() {
        assertThat(run("backends", "list", "--token", "t0k")).isZero();
        assertThat(out.toString()).contains("ROUTE").contains("app").contains("127.0.0.1:9001").contains("enabled")
                .contains("healthy").contains("2/1/0");
        assertThat(seen).singleElement().asString().startsWith("GET /api/v1/routes").endsWith("auth=Bearer t0k");
    }

    @Test
    void backendsWeightAndDrainChangeTheBackendAndPrintIt() {
        assertThat(run("backends", "weight", "app", "127.0.0.1:9001", "250")).isZero();
        assertThat(out.toString()).contains("250");
        assertThat(run("backends", "drain", "app", "127.0.0.1:9001", "--json")).isZero();
        assertThat(out.toString()).contains("\"admin_state\" : \"draining\"");
        assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("PATCH /api/v1/routes/app/backends/127.0.0.1:9001 {\"weight\":250}"));
    }

    @Test
    void aRefusedChangeExitsWithOneAndPrintsTheProblemAndItsFieldErrors() {
        assertThat(run("backends", "weight", "app", "127.0.0.1:9001", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("422 Validation failed: weight: must be 1..1000, got 0").contains("  weight: must be 1..1000, got 0");
    }

    @Test
    void jobsStartAndWaitUseTheControlApi() {
        assertThat(run("jobs", "start", "http://h/f", "-o", "/tmp/f", "-w", "8")).as(err::toString).isZero();
        assertThat(seen.get(0)).startsWith("POST /api/v1/jobs ").contains("\"workers\":8").contains("\"output\":\"/tmp/f\"");
        assertThat(out.toString()).contains("j1").contains("succeeded").contains("100.0%");
        assertThat(run("jobs", "wait", "j1", "--interval", "10")).isZero();
        assertThat(run("jobs", "list")).isZero();
        assertThat(out.toString()).contains("http://h/f");
    }

    @Test
    void jobsStartWithCompressOrAnUploadUrlStartsAnExportJob() {
        assertThat(run("jobs", "start", "http://h/f", "-o", "/tmp/f.zst", "--compress", "zstd:5")).as(err::toString)
                .isZero();
        assertThat(seen.get(0)).contains("\"type\":\"export\"").contains("\"compress\":\"zstd:5\"");
        assertThat(run("jobs", "start", "http://h/f", "-o", "https://t/up", "--upload-method", "POST")).isZero();
        assertThat(seen.get(1)).contains("\"type\":\"export\"").contains("\"upload_method\":\"POST\"")
                .doesNotContain("compress");
    }

    @Test
    void anUnreachableAdminListenerExitsWithOne() {
        server.stop(0);
        assertThat(run("jobs", "list", "--timeout", "2")).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: http://127.0.0.1:");
    }
}
