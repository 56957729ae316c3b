package io.sluice.transfer;

import java.io.IOException;

/** The transfer failed; the message names the cause (exit code 1). The journal and part file are kept unless it says otherwise. */
public class FetchException extends IOException {

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
