package io.sluice.client;

/** No HTTP answer: connect refused or timed out, connection lost, response timeout, pool exhausted. */
public final class SluiceTransportException extends SluiceException {

    public SluiceTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
