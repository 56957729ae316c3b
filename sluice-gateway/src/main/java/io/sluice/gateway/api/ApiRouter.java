package io.sluice.gateway.api;

import io.sluice.gateway.control.ControlException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code method + path template} to handlers and turns every failure into a {@link Problem}. Templates name
 * segments in braces ({@code /api/v1/routes/{route}}); a segment is percent-decoded before it is handed over.
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** Handles one matched call; {@code params} holds the decoded path segments by name. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request, Map<String, String> params);
    }

    /** One route of the API: what the OpenAPI agreement test compares with {@code docs/api/openapi.yaml}. */
    public record Operation(String method, String template, Handler handler) {
        String[] segments() {
            return template.substring(1).split("/", -1);
        }
    }

    private final List<Operation> operations = new ArrayList<>();

    public ApiRouter add(String method, String template, Handler handler) {
        operations.add(new Operation(method, template, handler));
        return this;
    }

    /** Every {@code (method, template)} routed. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** Runs the call; never throws: failures come back as problem responses. */
    public ApiResponse dispatch(ApiRequest request) {
        String path = request.path();
        try {
            String[] segments = split(path);
            Set<String> allowed = new TreeSet<>();
            for (Operation op : operations) {
                Map<String, String> params = match(op.segments(), segments);
                if (params == null) {
                    continue;
                }
                if (!op.method().equals(request.method())) {
                    allowed.add(op.method());
                    continue;
                }
                return op.handler().handle(request, params);
            }
            if (!allowed.isEmpty()) {
                List<String> methods = List.copyOf(allowed);
                return problem(new ApiException(405, "method-not-allowed", request.method() + " is not allowed on "
                        + path + " (allowed: " + String.join(", ", methods) + ")", List.of(), methods), path,
                        Map.of("Allow", String.join(", ", methods)));
            }
            throw ApiException.notFound("no such endpoint: " + path);
        } catch (ApiException e) {
            return problem(e, path, Map.of());
        } catch (ControlException e) {
            return problem(switch (e.kind()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case CONFLICT -> ApiException.conflict(e.getMessage());
                case INVALID -> new ApiException(422, "validation", e.getMessage());
            }, path, Map.of());
        } catch (RuntimeException e) {
            log.warn("control API {} {} failed", request.method(), path, e);
            return problem(new ApiException(500, "internal", "internal error: " + e), path, Map.of());
        }
    }

    public static ApiResponse problem(ApiException e, String instance, Map<String, String> headers) {
        return new ApiResponse(e.status(), e.toProblem(instance), headers);
    }

    private static String[] split(String path) {
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("path must start with /, got \"" + path + "\"");
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(1).split("/", -1);
    }

    private static Map<String, String> match(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), decode(segments[i]));
            } else if (!t.equals(segments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Percent-decoding of one path segment ({@code +} stays a plus, as RFC 3986 has it). */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad percent-encoding in path segment \"" + segment + "\"");
        }
    }
}
