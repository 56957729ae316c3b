package io.sluice.client.model;

/**
 * A transfer job to start in the daemon: the options of {@code sluice fetch}. Null fields take the server's
 * defaults. A {@code fetch} is a resumable download to a file; an {@code export} streams the source, compressed on
 * the fly, to a file or to an HTTP PUT/POST target ({@code sluice fetch --compress}) and, after a daemon restart,
 * starts again from byte 0.
 *
 * @param type            {@code fetch} or {@code export} (null: export when {@code compress} is set or the output
 *                        is an http(s):// URL, else fetch)
 * @param url             http:// or https:// URL
 * @param output          absolute path on the daemon's machine; for an export also an http(s):// upload URL
 * @param workers         1..16 (4)
 * @param chunk           1MB..64MB, e.g. {@code 8MB}
 * @param limit           bandwidth limit, e.g. {@code 100Mbps} or {@code 10MB/s}
 * @param checksum        {@code sha256:HEX} or {@code sha512:HEX}
 * @param fastResume      fetch: trust the journal without re-hashing
 * @param restartOnChange fetch: start over when the remote file changed
 * @param compress        export: {@code none}, {@code gzip:1..9} or {@code zstd:1..19} (none)
 * @param uploadMethod    export to a URL: {@code PUT} or {@code POST} (PUT)
 * @param buffer          export: most bytes held for reordering, e.g. {@code 64MB} (workers × chunk)
 */
public record JobSpec(String type, String url, String output, Integer workers, String chunk, String limit,
                      String checksum, Boolean fastResume, Boolean restartOnChange, String compress,
                      String uploadMethod, String buffer) {

    /** A download of {@code url} to the file {@code output}. */
    public static JobSpec fetch(String url, String output) {
        return new JobSpec("fetch", url, output, null, null, null, null, null, null, null, null, null);
    }

    /**
     * An export of {@code url} to {@code output} (a file path or an http(s):// URL, uploaded with PUT), compressed
     * with {@code compress} ({@code none}, {@code gzip:N}, {@code zstd:N}).
     */
    public static JobSpec export(String url, String output, String compress) {
        return new JobSpec("export", url, output, null, null, null, null, null, null, compress, null, null);
    }

    public JobSpec withWorkers(Integer n) {
        return new JobSpec(type, url, output, n, chunk, limit, checksum, fastResume, restartOnChange, compress,
                uploadMethod, buffer);
    }

    public JobSpec withChecksum(String value) {
        return new JobSpec(type, url, output, workers, chunk, limit, value, fastResume, restartOnChange, compress,
                uploadMethod, buffer);
    }

    public JobSpec withUploadMethod(String method) {
        return new JobSpec(type, url, output, workers, chunk, limit, checksum, fastResume, restartOnChange, compress,
                method, buffer);
    }
}
