package io.sluice.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details, as every control API error is answered ({@code application/problem+json}).
 *
 * @param type     {@code https://sluice.dev/problems/<slug>}
 * @param title    the status's short name
 * @param status   the HTTP status
 * @param detail   what exactly went wrong, naming the field and the value
 * @param instance the request path
 * @param errors   validation errors, one per field (422)
 * @param allowed  the allowed methods (405) or media types (406, 415)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, List<String> allowed) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://sluice.dev/problems/";

    /** One invalid field: its name (or YAML path) and what is wrong with it. */
    public record FieldError(String field, String message) {}

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(503, "Service Unavailable"));

    public static Problem of(int status, String slug, String detail, String instance, List<FieldError> errors,
                             List<String> allowed) {
        return new Problem(TYPE_BASE + slug, TITLES.getOrDefault(status, "Error"), status, detail, instance,
                errors, allowed);
    }
}
