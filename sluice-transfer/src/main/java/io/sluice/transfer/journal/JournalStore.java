package io.sluice.transfer.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and atomically replaces one journal file (its JSON: {@link JournalJson}).
 *
 * <p>{@link #write} writes a temporary file beside the journal, forces it, and moves it over the
 * journal with {@code ATOMIC_MOVE}: a crash leaves either the old journal or the new one, never half
 * of one. Callers force the data file before recording a chunk, so every completed range in a
 * journal on disk is backed by forced data.
 */
public final class JournalStore {

    private final Path file;
    private final Path temp;

    public JournalStore(Path file) {
        this.file = file;
        this.temp = file.resolveSibling(file.getFileName() + ".tmp");
    }

    public Path file() {
        return file;
    }

    /** The journal on disk, if there is one; throws {@link JournalCorruptException} when it cannot be trusted. */
    public Optional<Journal> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Journal journal;
        try {
            journal = JournalJson.read(bytes);
        } catch (JournalJson.MalformedException e) {
            throw new JournalCorruptException(file, "not a valid journal (" + e.getMessage() + ")", e);
        }
        validate(journal);
        return Optional.of(journal);
    }

    private void validate(Journal j) throws JournalCorruptException {
        if (j.version() != Journal.VERSION) {
            throw new JournalCorruptException(file, "version " + j.version() + " (expected: " + Journal.VERSION + ")");
        }
        if (j.url() == null || j.size() < 0 || j.chunkSize() <= 0) {
            throw new JournalCorruptException(file, "url, size or chunkSize missing or out of range");
        }
        if (!j.expectedCheck().equals(j.check())) {
            throw new JournalCorruptException(file, "self-check " + j.check() + " does not match its content ("
                    + j.expectedCheck() + ")");
        }
        long at = 0;
        for (CompletedRange c : j.completed()) {
            if (c.offset() < at || c.length() <= 0 || c.offset() + c.length() > j.size()
                    || c.crc32c() == null || !c.crc32c().matches("[0-9a-f]{8}")) {
                throw new JournalCorruptException(file, "completed range " + c + " overlaps, is empty or lies outside 0.." + j.size());
            }
            at = c.offset() + c.length();
        }
    }

    /** Replaces the journal atomically. */
    public void write(Journal journal) throws IOException {
        byte[] bytes = JournalJson.write(journal);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(temp);
    }
}
