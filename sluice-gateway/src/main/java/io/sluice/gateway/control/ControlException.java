package io.sluice.gateway.control;

/** A runtime change that cannot be made; the message says exactly why (it reaches the operator). */
public final class ControlException extends RuntimeException {

    /** What kind of refusal: the control API maps each to a status. */
    public enum Kind {
        /** The route or backend named does not exist (404). */
        NOT_FOUND,
        /** The change contradicts the current state, e.g. adding a backend twice (409). */
        CONFLICT,
        /** A value is out of range (422). */
        INVALID
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
