package io.sluice.client;

/** Anything a {@link SluiceClient} call can fail with. */
public abstract sealed class SluiceException extends RuntimeException
        permits SluiceApiException, SluiceTransportException {

    SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
