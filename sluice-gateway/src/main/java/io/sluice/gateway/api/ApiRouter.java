package io.sluice.gateway.api;

import io.sluice.gateway.control.ControlException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
    public record Operation(String method, String template, Handler handler) {}

    /**
     * An operation with its template split once: literal segments to compare, and the names of the parameter ones
     * (null where the segment is literal). Matching a path then allocates nothing unless it has parameters.
     */
    private record Compiled(Operation op, String[] segments, String[] params) {
        static Compiled of(Operation op) {
            String[] segments = op.template().substring(1).split("/", -1);
            String[] params = new String[segments.length];
            for (int i = 0; i < segments.length; i++) {
                String t = segments[i];
                if (t.startsWith("{") && t.endsWith("}")) {
                    params[i] = t.substring(1, t.length() - 1);
                }
            }
            return new Compiled(op, segments, params);
        }

        /** The decoded parameters if {@code path} matches (an empty map for a literal template), else null. */
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            for (int i = 0; i < segments.length; i++) {
                if (params[i] == null ? !segments[i].equals(path[i]) : path[i].isEmpty()) {
                    return null;
                }
            }
            // Templates have at most two parameters ({route}, {backend}); an immutable map of one or two entries is
            // a fraction of a HashMap's cost, and a batch matches once per operation.
            String k1 = null;
            String v1 = null;
            Map<String, String> more = null;
            for (int i = 0; i < segments.length; i++) {
                if (params[i] != null) {
                    String value = decode(path[i]);
                    if (k1 == null) {
                        k1 = params[i];
                        v1 = value;
                    } else {
                        if (more == null) {
                            more = new HashMap<>(4);
                            more.put(k1, v1);
                        }
                        more.put(params[i], value);
                    }
                }
            }
            if (more != null) {
                return more.size() == 2 ? Map.copyOf(more) : more;
            }
            return k1 == null ? Map.of() : Map.of(k1, v1);
        }
    }

    private final List<Compiled> operations = new ArrayList<>();

    public ApiRouter add(String method, String template, Handler handler) {
        operations.add(Compiled.of(new Operation(method, template, handler)));
        return this;
    }

    /** Every {@code (method, template)} routed. */
    public List<Operation> operations() {
        return operations.stream().map(Compiled::op).toList();
    }

    /** Runs the call; never throws: failures come back as problem responses. */
    public ApiResponse dispatch(ApiRequest request) {
        String path = request.path();
        try {
            String[] segments = split(path);
            Set<String> allowed = null;
            for (Compiled c : operations) {
                Map<String, String> params = c.match(segments);
                if (params == null) {
                    continue;
                }
                if (!c.op().method().equals(request.method())) {
                    if (allowed == null) {
                        allowed = new TreeSet<>();
                    }
                    allowed.add(c.op().method());
                    continue;
                }
                return c.op().handler().handle(request, params);
            }
            if (allowed != null) {
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

    static String[] split(String path) {
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("path must start with /, got \"" + path + "\"");
        }
        int end = path.length() > 1 && path.endsWith("/") ? path.length() - 1 : path.length();
        int count = 1;
        for (int i = path.indexOf('/', 1); i >= 0 && i < end; i = path.indexOf('/', i + 1)) {
            count++;
        }
        String[] segments = new String[count]; // as split("/", -1) of the path without its first and last slash
        int from = 1;
        for (int n = 0; n < count - 1; n++) {
            int slash = path.indexOf('/', from);
            segments[n] = path.substring(from, slash);
            from = slash + 1;
        }
        segments[count - 1] = path.substring(from, end);
        return segments;
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
