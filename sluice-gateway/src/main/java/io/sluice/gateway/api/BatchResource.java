package io.sluice.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /api/v1/batch}: many operations in one request, run in order through the same router, each answered
 * with its own status; one failing does not stop the others. At most {@value #MAX_OPERATIONS} operations.
 */
final class BatchResource {

    static final int MAX_OPERATIONS = 1000;
    static final String PATH = "/api/v1/batch";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "DELETE");

    private final ApiRouter router;

    BatchResource(ApiRouter router) {
        this.router = router;
    }

    void register() {
        router.add("POST", PATH, (req, p) -> ApiResponse.ok(run(req.body())));
    }

    private BatchResponse run(JsonNode body) {
        if (body == null) {
            throw ApiException.badRequest("a request body is required: {\"operations\": [{method, path, body}, ...]}");
        }
        if (!body.isObject() || !body.has("operations")) {
            throw ApiException.invalid("operations", "required: a list of {method, path, body}");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("operations")) {
                throw ApiException.invalid(name, "unknown field (known: operations)");
            }
        }
        JsonNode ops = body.get("operations");
        if (!ops.isArray()) {
            throw ApiException.invalid("operations", "must be a list, got " + ops.getNodeType().name()
                    .toLowerCase(Locale.ROOT));
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw new ApiException(413, "payload-too-large", "a batch holds at most " + MAX_OPERATIONS
                    + " operations, got " + ops.size() + "; split it");
        }
        List<BatchResult> results = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            results.add(runOne(i, ops.get(i)));
        }
        return new BatchResponse(results);
    }

    private BatchResult runOne(int index, JsonNode op) {
        String where = "operations[" + index + "]";
        ApiResponse response;
        try {
            ApiRequest request = operation(where, op);
            response = router.dispatch(request);
        } catch (ApiException e) {
            response = ApiRouter.problem(e, PATH, java.util.Map.of());
        }
        return new BatchResult(response.status(), response.body());
    }

    private static ApiRequest operation(String where, JsonNode op) {
        if (op == null || !op.isObject()) {
            throw ApiException.invalid(where, "must be an object {method, path, body}");
        }
        for (var names = op.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("method") && !name.equals("path") && !name.equals("body")) {
                throw ApiException.invalid(where + "." + name, "unknown field (known: body, method, path)");
            }
        }
        JsonNode m = op.get("method");
        if (m == null || !m.isTextual()) {
            throw ApiException.invalid(where + ".method", "required: one of DELETE, GET, PATCH, POST");
        }
        String method = m.asText().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw ApiException.invalid(where + ".method", "must be one of DELETE, GET, PATCH, POST, got " + m.asText());
        }
        JsonNode p = op.get("path");
        if (p == null || !p.isTextual() || !p.asText().startsWith("/api/v1/")) {
            throw ApiException.invalid(where + ".path", "required: an /api/v1/... path, got "
                    + (p == null ? "nothing" : p.toString()));
        }
        String path = p.asText();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            throw ApiException.invalid(where + ".path", "a batch cannot contain a batch");
        }
        JsonNode body = op.get("body");
        return new ApiRequest(method, path, body == null || body.isNull() ? null : body);
    }

    record BatchResponse(List<BatchResult> results) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResult(int status, Object body) {}
}
