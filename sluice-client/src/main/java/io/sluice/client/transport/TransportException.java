package io.sluice.client.transport;

/**
 * The exchange failed below HTTP: connect refused or timed out, connection reset, response timeout, pool exhausted.
 * {@link #notSent()} says the request certainly never reached the server, so resending it is safe for any method.
 */
public class TransportException extends RuntimeException {

    private final boolean notSent;

    public TransportException(String message, Throwable cause, boolean notSent) {
        super(message, cause);
        this.notSent = notSent;
    }

    public boolean notSent() {
        return notSent;
    }
}
