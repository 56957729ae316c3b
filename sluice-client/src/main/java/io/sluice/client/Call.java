package io.sluice.client;

import java.util.Objects;
import java.util.function.Function;

/**
 * One control-API operation, described but not sent: run it alone ({@link SluiceClient#execute}), add it to a
 * {@link Batch}, or let automatic batching group it. Built by {@link Calls}.
 *
 * @param <T> what the caller gets back
 */
public final class Call<T> {

    private final String method;
    private final String path;
    private final Object body;
    private final Class<?> wireType;
    private final Function<Object, T> unwrap;
    private final boolean idempotent;

    Call(String method, String path, Object body, Class<?> wireType, Function<Object, T> unwrap, boolean idempotent) {
        this.method = Objects.requireNonNull(method);
        this.path = Objects.requireNonNull(path);
        this.body = body;
        this.wireType = wireType;
        this.unwrap = unwrap;
        this.idempotent = idempotent;
    }

    public String method() {
        return method;
    }

    /** The /api/v1 path, percent-encoded. */
    public String path() {
        return path;
    }

    /** The request document, null for none. */
    public Object body() {
        return body;
    }

    public boolean idempotent() {
        return idempotent;
    }

    /** The document type of the answer, null when the answer is ignored. */
    Class<?> wireType() {
        return wireType;
    }

    T unwrap(Object decoded) {
        return unwrap.apply(decoded);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
