package io.sluice.gateway.api;

import java.util.List;

/** A request the control API refuses; becomes a {@link Problem} with this status, slug and detail. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String slug;
    private final List<Problem.FieldError> errors;
    private final List<String> allowed;

    public ApiException(int status, String slug, String detail) {
        this(status, slug, detail, List.of(), List.of());
    }

    public ApiException(int status, String slug, String detail, List<Problem.FieldError> errors, List<String> allowed) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.errors = List.copyOf(errors);
        this.allowed = List.copyOf(allowed);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", detail);
    }

    /** 422 with one field error. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(422, "validation", field + ": " + message,
                List.of(new Problem.FieldError(field, message)), List.of());
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return Problem.of(status, slug, getMessage(), instance, errors, allowed);
    }
}
