package io.sluice.transfer.export;

import io.sluice.transfer.ExportJob;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Where an export's stream goes, and what makes it final: an HTTP {@code PUT}/{@code POST} upload (final when the
 * target answers 2xx to the completed body) or a file, written beside its name as {@code NAME.sluice-export} and
 * renamed over it only when complete (removed if the export fails). Used by {@code sluice fetch --compress} and by
 * the daemon's export jobs.
 */
public final class ExportTarget {

    /** The suffix of a file target's part file while the export runs. */
    public static final String PART_SUFFIX = ".sluice-export";

    private final OutputStream stream;
    private final Commit onSuccess;

    private ExportTarget(OutputStream stream, Commit onSuccess) {
        this.stream = stream;
        this.onSuccess = onSuccess;
    }

    @FunctionalInterface
    private interface Commit {
        void run() throws IOException;
    }

    /** Whether {@code output} names an upload target rather than a file. */
    public static boolean isUrl(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.startsWith("http://") || o.startsWith("https://");
    }

    /** The upload's Content-Type for a compression. */
    public static String contentType(Compression compression) {
        return switch (compression.algorithm()) {
            case "gzip" -> "application/gzip";
            case "zstd" -> "application/zstd";
            default -> "application/octet-stream";
        };
    }

    /**
     * Opens {@code output}: an http(s):// URL is uploaded to with {@code method}, anything else is a file path.
     * The stream is an {@link ExportJob.Abortable}, so a failed {@link ExportJob#run} abandons it.
     */
    public static ExportTarget open(String output, String method, Compression compression) throws IOException {
        if (isUrl(output)) {
            return new ExportTarget(HttpUpload.open(URI.create(output), method, contentType(compression)), () -> { });
        }
        Path file = Path.of(output).toAbsolutePath();
        Path part = file.resolveSibling(file.getFileName() + PART_SUFFIX);
        return new ExportTarget(new PartFile(part), () -> Files.move(part, file, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING));
    }

    /** A stream that is final as it is written (stdout). */
    public static ExportTarget of(OutputStream stream) {
        return new ExportTarget(stream, () -> { });
    }

    /** What the export writes to; {@link ExportJob#run} closes it. */
    public OutputStream stream() {
        return stream;
    }

    /** Makes a finished export final (renames a file target into place). */
    public void commit() throws IOException {
        onSuccess.run();
    }

    /** A file written beside the target and removed if the export fails. */
    private static final class PartFile extends FilterOutputStream implements ExportJob.Abortable {
        private final Path path;

        PartFile(Path path) throws IOException {
            super(new FileOutputStream(path.toFile()));
            this.path = path;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void abort() {
            try {
                out.close();
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort: the failure itself is reported
            }
        }
    }
}
