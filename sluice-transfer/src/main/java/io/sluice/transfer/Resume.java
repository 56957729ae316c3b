package io.sluice.transfer;

import io.sluice.transfer.http.RemoteFile;
import io.sluice.transfer.internal.DataFile;
import io.sluice.transfer.journal.CompletedRange;
import io.sluice.transfer.journal.Journal;
import io.sluice.transfer.journal.JournalCorruptException;
import io.sluice.transfer.journal.JournalStore;
import io.sluice.transfer.verify.FileVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an existing journal may be resumed, and re-verifies what it claims is on disk.
 *
 * <p>A journal is resumed only if it is intact (parses, passes its self-check), names the same
 * URL, and the server still reports the same size and validator; the part file must exist with the
 * right length. A corrupt journal is discarded with a notice (starting over is always safe); a
 * changed file is an error unless {@code --restart-on-change}.
 */
final class Resume {

    private final FetchOptions options;
    private final FetchListener listener;
    private final JournalStore store;

    Resume(FetchOptions options, FetchListener listener, JournalStore store) {
        this.options = options;
        this.listener = listener;
        this.store = store;
    }

    /** The journal to resume, or null to start fresh (stale files are removed). */
    Journal load(RemoteFile remote) throws IOException {
        Optional<Journal> found;
        try {
            found = store.read();
        } catch (JournalCorruptException e) {
            listener.notice(e.getMessage() + "; discarding it and the part file, starting over");
            return discard();
        }
        if (found.isEmpty()) {
            return discard();
        }
        Journal j = found.get();
        if (!j.url().equals(options.url().toString())) {
            throw new FetchException(store.file() + " belongs to a download of " + j.url() + ", not " + options.url()
                    + "; delete it or choose another -o");
        }
        if (j.etag() == null && j.lastModified() == null) {
            listener.notice("the server gave no validator (ETag or Last-Modified), so an unchanged file cannot be"
                    + " proven; starting over");
            return discard();
        }
        boolean same = j.size() == remote.size() && Objects.equals(j.etag(), remote.strongEtag())
                && Objects.equals(j.lastModified(), remote.lastModified());
        if (!same) {
            String was = j.size() + " bytes, ETag " + j.etag() + ", Last-Modified " + j.lastModified();
            String now = remote.size() + " bytes, ETag " + remote.strongEtag() + ", Last-Modified " + remote.lastModified();
            if (options.restartOnChange()) {
                listener.notice(options.url() + " changed since the interrupted download (was " + was + "; now " + now
                        + "); starting over (--restart-on-change)");
                return discard();
            }
            throw new FileChangedException(options.url() + " changed since the interrupted download (was " + was
                    + "; now " + now + ")");
        }
        if (!Files.isRegularFile(options.partFile()) || Files.size(options.partFile()) != j.size()) {
            listener.notice(options.partFile() + " is missing or has the wrong size; starting over");
            return discard();
        }
        return j;
    }

    private Journal discard() throws IOException {
        store.delete();
        Files.deleteIfExists(options.partFile());
        return null;
    }

    /** Drops completed ranges whose bytes on disk no longer match their CRC32C (skipped with {@code --fast-resume}). */
    static Journal reverify(Journal journal, DataFile data, boolean fast, FetchListener listener) throws IOException {
        if (fast) {
            return journal;
        }
        List<CompletedRange> bad = new ArrayList<>();
        for (CompletedRange c : journal.completed()) {
            int actual = FileVerifier.crc32c(data.channel(), c.range());
            if (actual != c.crc()) {
                bad.add(c);
                listener.notice("chunk " + c.range() + " failed CRC32C re-verification (journal " + c.crc32c()
                        + ", on disk " + String.format("%08x", actual) + "); fetching it again");
            }
        }
        return bad.isEmpty() ? journal : journal.without(bad);
    }
}
