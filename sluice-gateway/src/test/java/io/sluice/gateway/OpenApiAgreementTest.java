package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.gateway.api.ApiRouter;
import io.sluice.gateway.api.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/api/openapi.yaml and the implementation agree: every documented path and method is routed and every routed
 * one is documented, and live answers match the documented schemas (required properties present, no undocumented
 * ones, types right), so an SDK generated or written from the document works.
 */
class OpenApiAgreementTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** The admin listener's endpoints outside /api/v1, served by AdminHandler. */
    private static final List<String> ADMIN_ENDPOINTS =
            List.of("GET /healthz", "GET /readyz", "GET /version", "GET /metrics");

    private static JsonNode spec;

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b");

    @BeforeAll
    static void load() throws Exception {
        Path file = Path.of("..", "docs", "api", "openapi.yaml");
        assertThat(file).exists();
        spec = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    }

    @Test
    void everyDocumentedOperationIsRoutedAndViceVersa() throws Exception {
        Gateway gateway = sluice.start("");
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (METHODS.contains(key)) {
                    documented.add(key.toUpperCase() + " " + path.getKey());
                }
            }
        }
        Set<String> routed = new TreeSet<>(ADMIN_ENDPOINTS);
        for (ApiRouter.Operation op : gateway.api().router().operations()) {
            routed.add(op.method() + " " + op.template());
        }
        assertThat(routed).as("routed").containsExactlyInAnyOrderElementsOf(documented);
        assertThat(spec.get("openapi").asText()).startsWith("3.1");
    }

    @Test
    void liveAnswersMatchTheDocumentedSchemas() throws Exception {
        Gateway gateway = sluice.start("""
                admin:
                  rate_limit:
                    enabled: false
                """);
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        TestGateways.get(gateway, "/");
        String a = "127.0.0.1:" + sluice.backend(0).port();

        check(api.get("/api/v1/routes"), "/api/v1/routes", "get", "200");
        check(api.get("/api/v1/routes/main"), "/api/v1/routes/{route}", "get", "200");
        check(api.get("/api/v1/routes/main/backends"), "/api/v1/routes/{route}/backends", "get", "200");
        check(api.get("/api/v1/routes/main/backends/" + a), "/api/v1/routes/{route}/backends/{backend}", "get", "200");
        check(api.send("PATCH", "/api/v1/routes/main/backends/" + a, Map.of("weight", 5)),
                "/api/v1/routes/{route}/backends/{backend}", "patch", "200");
        check(api.send("POST", "/api/v1/routes/main/backends/" + a + "/drain", null),
                "/api/v1/routes/{route}/backends/{backend}/drain", "post", "200");
        check(api.send("POST", "/api/v1/routes/main/backends/" + a + "/enable", null),
                "/api/v1/routes/{route}/backends/{backend}/enable", "post", "200");
        check(api.send("POST", "/api/v1/routes/main/backends", Map.of("host", "127.0.0.1", "port", 9, "weight", 3,
                "max_connections", 4)), "/api/v1/routes/{route}/backends", "post", "201");
        check(api.send("DELETE", "/api/v1/routes/main/backends/127.0.0.1:9", null),
                "/api/v1/routes/{route}/backends/{backend}", "delete", "200");
        check(api.get("/api/v1/stats"), "/api/v1/stats", "get", "200");
        check(api.send("POST", "/api/v1/config/reload", null), "/api/v1/config/reload", "post", "409");
        check(api.send("POST", "/api/v1/batch", Map.of("operations", List.of(
                Map.of("method", "GET", "path", "/api/v1/jobs")))), "/api/v1/batch", "post", "200");
        check(api.get("/api/v1/jobs"), "/api/v1/jobs", "get", "200");
        AdminClient.Answer created = api.send("POST", "/api/v1/jobs", Map.of("url", "http://127.0.0.1:9/x",
                "output", Path.of(System.getProperty("java.io.tmpdir"), "sluice-openapi-" + System.nanoTime())
                        .toString()));
        check(created, "/api/v1/jobs", "post", "202");
        String id = created.body().get("id").asText();
        check(api.get("/api/v1/jobs/" + id), "/api/v1/jobs/{id}", "get", "200");
        check(api.send("DELETE", "/api/v1/jobs/" + id, null), "/api/v1/jobs/{id}", "delete", "200");
        check(api.send("PATCH", "/api/v1/routes/main/backends/" + a, Map.of("weight", 0)),
                "/api/v1/routes/{route}/backends/{backend}", "patch", "422");
        check(api.get("/api/v1/routes/none"), "/api/v1/routes/{route}", "get", "404");
    }

    /** The answer's status is documented for the operation and its body matches the documented schema. */
    private static void check(AdminClient.Answer answer, String path, String method, String status) {
        assertThat(answer.status()).as(method + " " + path).isEqualTo(Integer.parseInt(status));
        JsonNode operation = spec.get("paths").get(path).get(method);
        JsonNode response = operation.get("responses").get(status);
        if (response == null) {
            response = operation.get("responses").get("default");
        }
        assertThat(response).as("documented " + status + " of " + method + " " + path).isNotNull();
        response = resolve(response);
        String type = answer.contentType();
        JsonNode content = response.get("content").get(type.equals("application/problem+json") ? type : "application/json");
        assertThat(content).as("documented " + type + " for " + status + " of " + method + " " + path).isNotNull();
        List<String> errors = new ArrayList<>();
        validate(answer.body(), content.get("schema"), "$", errors);
        assertThat(errors).as(method + " " + path + " " + status + ": " + answer.body()).isEmpty();
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode target = spec;
            for (String p : parts) {
                target = target.get(p);
            }
            node = target;
        }
        return node;
    }

    private static void validate(JsonNode value, JsonNode schema, String at, List<String> errors) {
        if (schema == null) {
            return;
        }
        schema = resolve(schema);
        if (schema.has("oneOf")) {
            for (JsonNode option : schema.get("oneOf")) {
                List<String> sub = new ArrayList<>();
                validate(value, option, at, sub);
                if (sub.isEmpty()) {
                    return;
                }
            }
            errors.add(at + ": matches no oneOf option");
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> types = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
            if (!types.contains(typeOf(value))
                    && !(types.contains("number") && typeOf(value).equals("integer"))) {
                errors.add(at + ": " + typeOf(value) + " is not " + types);
                return;
            }
        }
        if (value.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!props.has(name)) {
                    errors.add(at + "." + name + ": not documented");
                } else {
                    validate(value.get(name), props.get(name), at + "." + name, errors);
                }
            }
            if (schema.has("required")) {
                for (JsonNode required : schema.get("required")) {
                    if (!value.has(required.asText())) {
                        errors.add(at + "." + required.asText() + ": required but missing");
                    }
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), schema.get("items"), at + "[" + i + "]", errors);
            }
        }
        if (schema.has("enum") && value.isTextual()) {
            Set<String> allowed = new TreeSet<>();
            schema.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(value.asText())) {
                errors.add(at + ": " + value.asText() + " not in " + allowed);
            }
        }
    }

    private static String typeOf(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "array";
        }
        return "object";
    }
}
