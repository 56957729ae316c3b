package io.sluice.transfer.journal;

import java.io.IOException;
import java.nio.file.Path;

/** The journal cannot be trusted: unreadable JSON, a failed self-check, or ranges that make no sense. */
public final class JournalCorruptException extends IOException {

    public JournalCorruptException(Path file, String reason) {
        super("journal " + file + " is corrupt: " + reason);
    }

    public JournalCorruptException(Path file, String reason, Throwable cause) {
        super("journal " + file + " is corrupt: " + reason, cause);
    }
}
