package io.sluice.client;

import java.util.List;

/**
 * RFC 9457 problem details as the control API sends them ({@code application/problem+json}).
 *
 * @param type     {@code https://sluice.dev/problems/<slug>}
 * @param title    short summary of the type
 * @param status   the HTTP status
 * @param detail   what exactly went wrong, naming the field and value
 * @param instance the request path
 * @param errors   validation errors (422), one per field
 * @param allowed  for 405 the allowed methods, for 406/415 the supported media types
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, List<String> allowed) {

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    /** One invalid field: {@code weight}, or a YAML path such as {@code routes[0].backends[1].port} for reloads. */
    public record FieldError(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** The slug at the end of {@link #type}, e.g. {@code validation}, {@code not-found}. */
    public String slug() {
        return type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    }
}
