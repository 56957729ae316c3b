package io.sluice.transfer.journal;

import io.sluice.transfer.plan.ByteRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The state of one download, stored as JSON in {@code PATH.sluice-journal} beside
 * {@code PATH.sluice-part}. Immutable: recording a chunk makes a new journal that replaces the file
 * atomically.
 *
 * @param version      format version ({@link #VERSION})
 * @param url          the source
 * @param size         the remote file's length
 * @param etag         the strong ETag the server gave, or null
 * @param lastModified the Last-Modified the server gave, or null
 * @param chunkSize    the chunk size in use
 * @param completed    ranges on disk, each with its CRC32C, in file order
 * @param check        CRC32C of all the fields above ({@link #expectedCheck()}): detects a journal edited or damaged on disk
 */
public record Journal(int version, String url, long size, String etag, String lastModified, long chunkSize,
                      List<CompletedRange> completed, String check) {

    public static final int VERSION = 1;

    public Journal {
        completed = List.copyOf(completed);
    }

    /** A journal with nothing completed yet. */
    public static Journal start(String url, long size, String etag, String lastModified, long chunkSize) {
        return new Journal(VERSION, url, size, etag, lastModified, chunkSize, List.of(), null).sealed();
    }

    /** This journal plus one completed range. */
    public Journal with(CompletedRange range) {
        List<CompletedRange> next = new ArrayList<>(completed);
        next.add(range);
        next.sort(Comparator.comparingLong(CompletedRange::offset));
        return new Journal(version, url, size, etag, lastModified, chunkSize, next, null).sealed();
    }

    /** This journal without the given ranges (they failed re-verification). */
    public Journal without(List<CompletedRange> bad) {
        List<CompletedRange> next = new ArrayList<>(completed);
        next.removeAll(bad);
        return new Journal(version, url, size, etag, lastModified, chunkSize, next, null).sealed();
    }

    public Journal withChunkSize(long newChunkSize) {
        return new Journal(version, url, size, etag, lastModified, newChunkSize, completed, null).sealed();
    }

    public long completedBytes() {
        return completed.stream().mapToLong(CompletedRange::length).sum();
    }

    /** The ranges not yet completed, in file order. */
    public List<ByteRange> missing() {
        List<ByteRange> gaps = new ArrayList<>();
        long at = 0;
        for (CompletedRange c : completed) {
            if (c.offset() > at) {
                gaps.add(new ByteRange(at, c.offset()));
            }
            at = Math.max(at, c.offset() + c.length());
        }
        if (at < size) {
            gaps.add(new ByteRange(at, size));
        }
        return gaps;
    }

    /** The value {@link #check} must have. */
    public String expectedCheck() {
        StringBuilder canonical = new StringBuilder()
                .append(version).append('\n').append(url).append('\n').append(size).append('\n')
                .append(etag).append('\n').append(lastModified).append('\n').append(chunkSize).append('\n');
        for (CompletedRange c : completed) {
            canonical.append(c.offset()).append(':').append(c.length()).append(':').append(c.crc32c()).append('\n');
        }
        CRC32C crc = new CRC32C();
        crc.update(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private Journal sealed() {
        return new Journal(version, url, size, etag, lastModified, chunkSize, completed, expectedCheck());
    }
}
