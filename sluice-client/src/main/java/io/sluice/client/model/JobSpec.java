package io.sluice.client.model;

/**
 * A fetch job to start in the daemon: the options of {@code sluice fetch}. Null fields take the server's defaults.
 *
 * @param type            {@code fetch} (null: fetch)
 * @param url             http:// or https:// URL
 * @param output          absolute path on the daemon's machine
 * @param workers         1..16 (4)
 * @param chunk           1MB..64MB, e.g. {@code 8MB}
 * @param limit           bandwidth limit, e.g. {@code 100Mbps} or {@code 10MB/s}
 * @param checksum        {@code sha256:HEX} or {@code sha512:HEX}
 * @param fastResume      trust the journal without re-hashing
 * @param restartOnChange start over when the remote file changed
 */
public record JobSpec(String type, String url, String output, Integer workers, String chunk, String limit,
                      String checksum, Boolean fastResume, Boolean restartOnChange) {

    public static JobSpec fetch(String url, String output) {
        return new JobSpec("fetch", url, output, null, null, null, null, null, null);
    }
}
