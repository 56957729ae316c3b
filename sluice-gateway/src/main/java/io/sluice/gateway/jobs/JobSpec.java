package io.sluice.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.config.Bandwidths;
import io.sluice.core.limit.BandwidthThrottle;
import io.sluice.transfer.FetchOptions;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.verify.ExpectedDigest;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a transfer job does: {@code sluice fetch}'s options (docs/TRANSFER.md), as the control API takes them and
 * the state directory keeps them.
 *
 * @param type            {@code fetch} (the only kind so far); null means fetch
 * @param url             http:// or https:// URL
 * @param output          absolute path of the file on the daemon's machine
 * @param workers         1..16, null: 4
 * @param chunk           e.g. {@code 8MB}, null: automatic
 * @param limit           this job's bandwidth, e.g. {@code 10MB/s}, under the daemon's shared
 *                        {@code admin.job_bandwidth}; null: only the shared one
 * @param checksum        {@code sha256:HEX} or {@code sha512:HEX}, null: none
 * @param fastResume      trust completed chunks on resume without re-reading them
 * @param restartOnChange start over when the remote file changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(String type, String url, String output, Integer workers, String chunk, String limit,
                      String checksum, Boolean fastResume, Boolean restartOnChange) {

    /** A job's own burst allowance, as {@code sluice fetch --limit-burst}'s default. */
    static final long BURST_BYTES = 1_000_000;

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
        return new JobSpec(type == null ? "fetch" : type, url, output,
                workers == null ? FetchOptions.DEFAULT_WORKERS : workers, chunk, limit, checksum,
                fastResume != null && fastResume, restartOnChange != null && restartOnChange);
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
        if (type != null && !type.equals("fetch")) {
            errors.add(new Invalid("type", "must be fetch, got " + type));
        }
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
            errors.add(new Invalid("output", "required: an absolute file path on the daemon's machine"));
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
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors);
        }
        FetchOptions.Builder b = FetchOptions.builder(uri, path).workers(w).chunkSize(chunkSize)
                .fastResume(fastResume != null && fastResume).restartOnChange(restartOnChange != null && restartOnChange);
        if (rate > 0) {
            b.throttle(shared == null ? BandwidthThrottle.of(rate, BURST_BYTES) : shared.child(rate, BURST_BYTES));
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
