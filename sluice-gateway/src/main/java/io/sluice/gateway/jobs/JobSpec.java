package io.sluice.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.config.Bandwidths;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.transfer.FetchOptions;
import io.sluice.transfer.LimitBurst;
import io.sluice.transfer.export.Compression;
import io.sluice.transfer.export.ExportTarget;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.verify.ExpectedDigest;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a transfer job does: {@code sluice fetch}'s options (docs/TRANSFER.md), as the control API takes them and
 * the state directory keeps them. A {@code fetch} is a resumable download to a file; an {@code export} streams the
 * source, compressed on the fly, to a file or an HTTP PUT/POST target ({@code sluice fetch --compress}).
 *
 * @param type            {@code fetch} or {@code export}; null: export when {@code compress} is set or the output
 *                        is an http(s):// URL, fetch otherwise
 * @param url             http:// or https:// URL
 * @param output          absolute path of the file on the daemon's machine; for an export also an http(s):// URL
 * @param workers         1..16, null: 4
 * @param chunk           e.g. {@code 8MB}, null: automatic
 * @param limit           this job's bandwidth, e.g. {@code 10MB/s}, under the daemon's shared
 *                        {@code admin.job_bandwidth}; null: only the shared one
 * @param checksum        {@code sha256:HEX} or {@code sha512:HEX}, null: none
 * @param fastResume      trust completed chunks on resume without re-reading them
 * @param restartOnChange start over when the remote file changed (fetch only)
 * @param compress        export only: {@code none}, {@code gzip:1..9}, {@code zstd:1..19}; null: none
 * @param uploadMethod    export to a URL only: {@code PUT} or {@code POST}; null: PUT
 * @param buffer          export only: most bytes held for reordering, e.g. {@code 64MB}; null: workers × chunk
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(String type, String url, String output, Integer workers, String chunk, String limit,
                      String checksum, Boolean fastResume, Boolean restartOnChange, String compress,
                      String uploadMethod, String buffer) {

    public static final String FETCH = "fetch";
    public static final String EXPORT = "export";

    /** A fetch job's spec (the fields a fetch takes). */
    public static JobSpec fetch(String url, String output) {
        return new JobSpec(FETCH, url, output, null, null, null, null, null, null, null, null, null);
    }

    /** The kind of job: the explicit {@code type}, else inferred as the CLI does ({@code --compress} or a URL output). */
    public String kind() {
        if (type != null) {
            return type;
        }
        return compress != null || (output != null && ExportTarget.isUrl(output.strip())) ? EXPORT : FETCH;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isExport() {
        return EXPORT.equals(kind());
    }

    /** Where the job writes, comparable between jobs: a normalized absolute path, or the URL as given. */
    String target() {
        String o = output.strip();
        return ExportTarget.isUrl(o) ? o : Path.of(o).toAbsolutePath().normalize().toString();
    }

    /** An export's compression (after {@link #toOptions()} accepted the spec). */
    Compression compression() {
        return compress == null ? Compression.NONE : Compression.parse(compress);
    }

    /** An export's reorder buffer in bytes, 0 for the default (after {@link #toOptions()} accepted the spec). */
    long bufferBytes() {
        return buffer == null ? 0 : ChunkSizer.parseSize("buffer", buffer);
    }

    /** An export upload's method (after {@link #toOptions()} accepted the spec). */
    String method() {
        return uploadMethod == null ? "PUT" : uploadMethod.strip().toUpperCase(Locale.ROOT);
    }

    private void validateExport(List<Invalid> errors) {
        if (fastResume != null && fastResume) {
            errors.add(new Invalid("fast_resume", "an export cannot resume (its output is a stream); it restarts"
                    + " from byte 0"));
        }
        if (restartOnChange != null && restartOnChange) {
            errors.add(new Invalid("restart_on_change", "an export cannot resume (its output is a stream); it always"
                    + " starts over"));
        }
        if (compress != null) {
            try {
                Compression.parse(compress);
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("compress", "must be none, gzip:1..9 or zstd:1..19, got " + compress));
            }
        }
        if (uploadMethod != null) {
            if (output != null && !ExportTarget.isUrl(output.strip())) {
                errors.add(new Invalid("upload_method", "only for an http(s):// output"));
            } else if (!method().equals("PUT") && !method().equals("POST")) {
                errors.add(new Invalid("upload_method", "must be PUT or POST, got " + uploadMethod));
            }
        }
        if (buffer != null) {
            try {
                ChunkSizer.parseSize("buffer", buffer);
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("buffer", e.getMessage()));
            }
        }
    }

    /** One invalid option: its field and what is wrong. */
    public record Invalid(String field, String message) {}

    /** Thrown by {@link #toOptions()} with every invalid field. */
    public static final class InvalidSpecException extends IllegalArgumentException {
        private final List<Invalid> errors;

        InvalidSpecException(List<Invalid> errors) {
            super(String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<Invalid> errors() {
            return errors;
        }
    }

    /** The spec with its defaults filled in, as jobs report it. */
    public JobSpec normalized() {
        int w = workers == null ? FetchOptions.DEFAULT_WORKERS : workers;
        if (isExport()) {
            return new JobSpec(EXPORT, url, output, w, chunk, limit, checksum, null, null, compression().toString(),
                    ExportTarget.isUrl(output.strip()) ? method() : null, buffer);
        }
        return new JobSpec(FETCH, url, output, w, chunk, limit, checksum, fastResume != null && fastResume,
                restartOnChange != null && restartOnChange, null, null, null);
    }

    /** The fetch options without a shared limit; every invalid field at once in an {@link InvalidSpecException}. */
    public FetchOptions toOptions() {
        return toOptions(null);
    }

    /**
     * The fetch options, the job's throttle under {@code shared} (the daemon's limit for all jobs, or null); every
     * invalid field at once in an {@link InvalidSpecException}.
     */
    public FetchOptions toOptions(BandwidthThrottle shared) {
        List<Invalid> errors = new ArrayList<>();
        if (type != null && !type.equals(FETCH) && !type.equals(EXPORT)) {
            errors.add(new Invalid("type", "must be fetch or export, got " + type));
        }
        boolean export = isExport();
        URI uri = null;
        if (url == null || url.isBlank()) {
            errors.add(new Invalid("url", "required: an http:// or https:// URL"));
        } else {
            try {
                uri = URI.create(url.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    errors.add(new Invalid("url", "must be an http:// or https:// URL with a host, got " + url));
                    uri = null;
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("url", "not a URL: " + e.getMessage()));
            }
        }
        Path path = null;
        if (output == null || output.isBlank()) {
            errors.add(new Invalid("output", export
                    ? "required: an absolute file path on the daemon's machine, or an http(s):// upload URL"
                    : "required: an absolute file path on the daemon's machine"));
        } else if (ExportTarget.isUrl(output.strip())) {
            if (!export) {
                errors.add(new Invalid("output", "a fetch writes a file; an http(s):// target needs type export"));
            } else {
                try {
                    if (URI.create(output.strip()).getHost() == null) {
                        errors.add(new Invalid("output", "the upload URL has no host: " + output));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new Invalid("output", "not a URL: " + e.getMessage()));
                }
                path = Path.of("-"); // the stream goes to the upload; there is no output file
            }
        } else {
            try {
                path = Path.of(output);
                if (!path.isAbsolute() || path.getFileName() == null) {
                    errors.add(new Invalid("output", "must be an absolute file path, got " + output));
                    path = null;
                }
            } catch (RuntimeException e) {
                errors.add(new Invalid("output", "not a path: " + e.getMessage()));
            }
        }
        int w = workers == null ? FetchOptions.DEFAULT_WORKERS : workers;
        if (w < FetchOptions.MIN_WORKERS || w > FetchOptions.MAX_WORKERS) {
            errors.add(new Invalid("workers", "must be " + FetchOptions.MIN_WORKERS + ".." + FetchOptions.MAX_WORKERS
                    + ", got " + w));
        }
        long chunkSize = 0;
        if (chunk != null) {
            try {
                chunkSize = ChunkSizer.parse(chunk);
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("chunk", e.getMessage()));
            }
        }
        long rate = 0;
        if (limit != null) {
            try {
                rate = Bandwidths.parseBitsPerSecond("limit", limit);
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("limit", e.getMessage()));
            }
        }
        ExpectedDigest digest = null;
        if (checksum != null) {
            try {
                digest = ExpectedDigest.parseOption(checksum);
            } catch (IllegalArgumentException e) {
                errors.add(new Invalid("checksum", e.getMessage()));
            }
        }
        if (export) {
            validateExport(errors);
        } else {
            for (String[] f : new String[][] {{"compress", compress}, {"upload_method", uploadMethod},
                    {"buffer", buffer}}) {
                if (f[1] != null) {
                    errors.add(new Invalid(f[0], "only for export jobs (type: export)"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors);
        }
        FetchOptions.Builder b = FetchOptions.builder(uri, path).workers(w).chunkSize(chunkSize)
                .fastResume(fastResume != null && fastResume).restartOnChange(restartOnChange != null && restartOnChange);
        if (rate > 0) {
            long burst = LimitBurst.forRate(rate); // a job's own burst, as sluice fetch --limit-burst's default
            b.throttle(shared == null ? BandwidthThrottle.of(rate, burst) : shared.child(rate, burst));
        } else {
            b.throttle(shared);
        }
        if (digest != null) {
            b.checksum(digest);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(List.of(new Invalid("<spec>", e.getMessage())));
        }
    }
}
