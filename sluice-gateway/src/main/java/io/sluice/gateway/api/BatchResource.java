package io.sluice.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/batch}: many operations in one request, run in order through the same router, each answered
 * with its own status; one failing does not stop the others. At most {@value #MAX_OPERATIONS} operations.
 */
final class BatchResource {

    static final int MAX_OPERATIONS = 1000;
    static final String PATH = "/api/v1/batch";
    private static final List<String> METHODS = List.of("GET", "POST", "PATCH", "DELETE");

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
        ApiResponse response;
        try {
            ApiRequest request = operation(index, op);
            response = router.dispatch(request);
        } catch (ApiException e) {
            response = ApiRouter.problem(e, PATH, java.util.Map.of());
        }
        return new BatchResult(response.status(), response.body());
    }

    /** Names an operation's field in an error: {@code operations[3].path}; only built when there is one. */
    private static String where(int index, String field) {
        return "operations[" + index + "]" + (field == null ? "" : "." + field);
    }

    private static ApiRequest operation(int index, JsonNode op) {
        if (op == null || !op.isObject()) {
            throw ApiException.invalid(where(index, null), "must be an object {method, path, body}");
        }
        JsonNode m = op.get("method");
        JsonNode p = op.get("path");
        JsonNode body = op.get("body");
        if (op.size() != (m == null ? 0 : 1) + (p == null ? 0 : 1) + (body == null ? 0 : 1)) { // an unknown field
            for (var names = op.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("method") && !name.equals("path") && !name.equals("body")) {
                    throw ApiException.invalid(where(index, name), "unknown field (known: body, method, path)");
                }
            }
        }
        if (m == null || !m.isTextual()) {
            throw ApiException.invalid(where(index, "method"), "required: one of DELETE, GET, PATCH, POST");
        }
        String method = method(m.textValue());
        if (method == null) {
            throw ApiException.invalid(where(index, "method"), "must be one of DELETE, GET, PATCH, POST, got "
                    + m.asText());
        }
        if (p == null || !p.isTextual() || !p.textValue().startsWith("/api/v1/")) {
            throw ApiException.invalid(where(index, "path"), "required: an /api/v1/... path, got "
                    + (p == null ? "nothing" : p.toString()));
        }
        String path = p.textValue();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            throw ApiException.invalid(where(index, "path"), "a batch cannot contain a batch");
        }
        return new ApiRequest(method, path, body == null || body.isNull() ? null : body);
    }

    /** The upper-case method if it is one a batch may hold, else null; no allocation for the usual spellings. */
    private static String method(String m) {
        for (String known : METHODS) {
            if (known.equals(m)) {
                return known;
            }
        }
        String upper = m.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : null;
    }

    record BatchResponse(List<BatchResult> results) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResult(int status, Object body) {}
}
