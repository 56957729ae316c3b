package io.sluice.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * An in-memory stand-in for the control API as docs/api/openapi.yaml documents it (on branch control): one route
 * {@code api} with backends, jobs, stats, reload, batch; JSON and MessagePack by Content-Type/Accept; errors as
 * problem+json. Written independently of the SDK's codec (plain trees) so it checks the SDK's wire format.
 */
final class FakeControlApi implements Function<FakeServer.Exchange, FakeServer.Reply> {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
    private final Map<String, ObjectNode> backends = new LinkedHashMap<>();
    private final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
    private int nextJob = 1;
    volatile boolean reloadInvalid;

    record Result(int status, JsonNode body) {}

    FakeControlApi() {
        backends.put("127.0.0.1:8081", backend("127.0.0.1", 8081, 100));
        backends.put("127.0.0.1:8082", backend("127.0.0.1", 8082, 100));
    }

    @Override
    public synchronized FakeServer.Reply apply(FakeServer.Exchange ex) {
        String contentType = ex.header("content-type");
        JsonNode body = null;
        if (ex.body().length > 0) {
            if (contentType != null && !contentType.startsWith("application/json") && !contentType.startsWith("application/msgpack")) {
                return problemReply(new Result(415, problem(415, "unsupported-media-type", "Unsupported Media Type",
                        "Content-Type " + contentType + " is not supported", ex.path())));
            }
            try {
                body = (contentType != null && contentType.contains("msgpack") ? msgpack : json).readTree(ex.body());
            } catch (IOException e) {
                return problemReply(new Result(400, problem(400, "bad-request", "Bad Request", "unreadable body: " + e.getMessage(), ex.path())));
            }
        }
        Result r = dispatch(ex.method(), ex.path(), body);
        if (r.status() >= 400) {
            return problemReply(r);
        }
        String accept = ex.header("accept");
        boolean mp = accept != null && accept.contains("application/msgpack");
        try {
            byte[] bytes = r.body() == null ? new byte[0] : (mp ? msgpack : json).writeValueAsBytes(r.body());
            return FakeServer.Reply.of(r.status(), mp ? "application/msgpack" : "application/json", bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private FakeServer.Reply problemReply(Result r) {
        try {
            return FakeServer.Reply.of(r.status(), "application/problem+json", json.writeValueAsBytes(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Result dispatch(String method, String rawPath, JsonNode body) {
        String[] seg = rawPath.split("\\?")[0].split("/");
        List<String> p = new ArrayList<>();
        for (String s : seg) {
            if (!s.isEmpty()) {
                p.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        if (p.size() < 3 || !p.get(0).equals("api") || !p.get(1).equals("v1")) {
            return notFound(rawPath);
        }
        List<String> r = p.subList(2, p.size());
        String m = method;
        switch (r.get(0)) {
            case "routes" -> {
                if (r.size() == 1 && m.equals("GET")) {
                    ObjectNode list = F.objectNode();
                    list.putArray("routes").add(route());
                    return ok(list);
                }
                if (r.size() < 2 || !r.get(1).equals("api")) {
                    return notFound(rawPath);
                }
                if (r.size() == 2 && m.equals("GET")) {
                    return ok(route());
                }
                if (r.size() == 3 && r.get(2).equals("backends")) {
                    if (m.equals("GET")) {
                        ObjectNode list = F.objectNode().put("route", "api");
                        list.set("backends", backendArray());
                        return ok(list);
                    }
                    if (m.equals("POST")) {
                        String host = body.path("host").asText();
                        int port = body.path("port").asInt();
                        int weight = body.path("weight").asInt(100);
                        if (weight < 1 || weight > 1000) {
                            return validation(rawPath, "weight", "must be 1..1000, got " + weight);
                        }
                        String address = host + ":" + port;
                        if (backends.containsKey(address)) {
                            return new Result(409, problem(409, "conflict", "Conflict", "backend " + address + " is already in route api", rawPath));
                        }
                        ObjectNode b = backend(host, port, weight);
                        backends.put(address, b);
                        return new Result(201, b);
                    }
                }
                if (r.size() >= 4 && r.get(2).equals("backends")) {
                    ObjectNode b = backends.get(r.get(3));
                    if (b == null) {
                        return new Result(404, problem(404, "not-found", "Not Found", "route api has no backend " + r.get(3), rawPath));
                    }
                    if (r.size() == 4) {
                        switch (m) {
                            case "GET" -> {
                                return ok(b);
                            }
                            case "PATCH" -> {
                                int weight = body == null ? 0 : body.path("weight").asInt();
                                if (weight < 1 || weight > 1000) {
                                    return validation(rawPath, "weight", "must be 1..1000, got " + weight);
                                }
                                b.put("weight", weight).put("effective_weight", weight);
                                return ok(b);
                            }
                            case "DELETE" -> {
                                backends.remove(r.get(3));
                                return ok(b.deepCopy().put("admin_state", "removed"));
                            }
                            default -> { }
                        }
                    }
                    if (r.size() == 5 && m.equals("POST") && r.get(4).equals("drain")) {
                        return ok(b.put("admin_state", "draining").put("usable", false));
                    }
                    if (r.size() == 5 && m.equals("POST") && r.get(4).equals("enable")) {
                        return ok(b.put("admin_state", "enabled").put("usable", true));
                    }
                }
                return notFound(rawPath);
            }
            case "stats" -> {
                ObjectNode s = F.objectNode().put("timestamp", "2026-11-23T16:00:00Z").put("uptime_seconds", 12.5)
                        .put("window_seconds", 10.0);
                ObjectNode rs = s.putArray("routes").addObject().put("route", "api").put("requests", 1000)
                        .put("requests_per_second", 100.0).put("errors", 2).put("errors_per_second", 0.2);
                rs.putObject("latency_ms").put("p50", 0.4).put("p99", 1.9).put("mean", 0.5).put("max", 7.0);
                ObjectNode bs = rs.putArray("backends").addObject().put("address", "127.0.0.1:8081").put("responses", 500)
                        .put("responses_per_second", 50.0).put("errors", 1).put("in_flight", 3);
                bs.putObject("latency_ms").put("p50", 0.3).put("p99", 1.5);
                return ok(s);
            }
            case "config" -> {
                if (r.size() == 2 && r.get(1).equals("reload") && m.equals("POST")) {
                    if (reloadInvalid) {
                        ObjectNode pr = problem(422, "validation", "Invalid configuration",
                                "/etc/sluice.yaml has 2 errors; the running configuration is kept", rawPath);
                        ArrayNode errors = pr.putArray("errors");
                        errors.addObject().put("field", "routes[0].backends[1].port").put("message", "must be 1..65535, got 0");
                        errors.addObject().put("field", "routes[0].rate_limit.burst").put("message", "must be 1..1000000, got 0");
                        return new Result(422, pr);
                    }
                    ObjectNode res = F.objectNode().put("applied", true).put("file", "/etc/sluice.yaml");
                    res.putArray("changes").add("route api: backend 10.0.0.3:80 added");
                    res.putArray("restart_required").add("admin");
                    return ok(res);
                }
                return notFound(rawPath);
            }
            case "jobs" -> {
                if (r.size() == 1 && m.equals("GET")) {
                    ObjectNode list = F.objectNode();
                    ArrayNode a = list.putArray("jobs");
                    jobs.values().forEach(a::add);
                    return ok(list);
                }
                if (r.size() == 1 && m.equals("POST")) {
                    if (!body.path("url").asText().startsWith("http")) {
                        return validation(rawPath, "url", "must be an http:// or https:// URL, got " + body.path("url").asText());
                    }
                    String id = "job-" + nextJob++;
                    ObjectNode job = F.objectNode().put("id", id).put("type", "fetch").put("state", "queued");
                    ObjectNode spec = body.deepCopy();
                    spec.put("type", "fetch");
                    job.set("spec", spec);
                    job.put("created_at", "2026-11-23T16:00:00Z").putNull("started_at").putNull("finished_at")
                            .put("resumed", false);
                    job.putObject("progress").put("size", -1).put("done", 0).put("fraction", 0.0).put("bytes_per_second", 0.0);
                    job.putNull("result").putNull("error");
                    jobs.put(id, job);
                    return new Result(202, job);
                }
                if (r.size() == 2) {
                    ObjectNode job = jobs.get(r.get(1));
                    if (job == null) {
                        return new Result(404, problem(404, "not-found", "Not Found", "no job " + r.get(1), rawPath));
                    }
                    if (m.equals("GET")) {
                        return ok(job);
                    }
                    if (m.equals("DELETE")) {
                        return ok(job.put("state", "cancelled"));
                    }
                }
                return notFound(rawPath);
            }
            case "batch" -> {
                if (!m.equals("POST") || body == null || !body.path("operations").isArray()) {
                    return validation(rawPath, "operations", "required");
                }
                if (body.path("operations").size() > 1000) {
                    return new Result(413, problem(413, "payload-too-large", "Payload Too Large", "at most 1000 operations", rawPath));
                }
                ObjectNode res = F.objectNode();
                ArrayNode results = res.putArray("results");
                for (JsonNode op : body.path("operations")) {
                    String path = op.path("path").asText();
                    Result one = path.startsWith("/api/v1/batch")
                            ? validation(path, "path", "a batch cannot contain /api/v1/batch")
                            : dispatch(op.path("method").asText(), path, op.has("body") ? op.get("body") : null);
                    ObjectNode item = results.addObject().put("status", one.status());
                    if (one.body() != null) {
                        item.set("body", one.body());
                    }
                }
                return ok(res);
            }
            default -> {
                return notFound(rawPath);
            }
        }
    }

    private ObjectNode route() {
        ObjectNode route = F.objectNode().put("name", "api").putNull("host").put("path_prefix", "/").put("algorithm", "round_robin")
                .put("static", false).put("panic_routing", false).put("usable_backends", backends.size());
        route.set("backends", backendArray());
        return route;
    }

    private ArrayNode backendArray() {
        ArrayNode a = F.arrayNode();
        backends.values().forEach(a::add);
        return a;
    }

    private static ObjectNode backend(String host, int port, int weight) {
        ObjectNode b = F.objectNode().put("address", host + ":" + port).put("host", host).put("port", port)
                .put("weight", weight).put("effective_weight", weight).put("admin_state", "enabled").put("health", "healthy")
                .put("ejected", false).put("usable", true).put("in_flight", 0);
        b.putObject("pool").put("total", 2).put("active", 1).put("idle", 1).put("pending", 0);
        return b;
    }

    private static Result ok(JsonNode body) {
        return new Result(200, body);
    }

    private static Result notFound(String path) {
        return new Result(404, problem(404, "not-found", "Not Found", "no such resource: " + path, path));
    }

    private static Result validation(String path, String field, String message) {
        ObjectNode p = problem(422, "validation", "Validation failed", field + ": " + message, path);
        p.putArray("errors").addObject().put("field", field).put("message", message);
        return new Result(422, p);
    }

    static ObjectNode problem(int status, String slug, String title, String detail, String instance) {
        return F.objectNode().put("type", "https://sluice.dev/problems/" + slug).put("title", title).put("status", status)
                .put("detail", detail).put("instance", instance);
    }
}
