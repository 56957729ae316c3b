package io.sluice.transfer;

/** The remote file is not the version the download started with: continuing would stitch two versions. */
public final class FileChangedException extends FetchException {

    public FileChangedException(String message) {
        super(message + "; nothing was written to the target (rerun with --restart-on-change to start over)");
    }
}
