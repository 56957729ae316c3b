package io.sluice.client;

import java.util.stream.Collectors;

/**
 * The server answered with an error status; {@link #problem()} carries its RFC 9457 details (a synthetic one, type
 * {@code about:blank}, when the body was not a problem document).
 */
public final class SluiceApiException extends SluiceException {

    private final Problem problem;

    public SluiceApiException(Problem problem) {
        super(message(problem), null);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    private static String message(Problem p) {
        StringBuilder m = new StringBuilder().append(p.status()).append(' ').append(p.title());
        if (p.detail() != null && !p.detail().isEmpty()) {
            m.append(": ").append(p.detail());
        }
        if (!p.errors().isEmpty()) {
            m.append(p.errors().stream().map(Problem.FieldError::toString).collect(Collectors.joining("; ", " [", "]")));
        }
        if (p.type() != null && !"about:blank".equals(p.type())) {
            m.append(" (").append(p.type()).append(')');
        }
        return m.toString();
    }
}
