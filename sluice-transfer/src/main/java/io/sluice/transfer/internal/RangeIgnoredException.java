package io.sluice.transfer.internal;

import java.io.IOException;

/** A ranged request got the whole (unchanged) file with 200: this server does not do ranges after all. */
public final class RangeIgnoredException extends IOException {

    public RangeIgnoredException(String message) {
        super(message);
    }
}
