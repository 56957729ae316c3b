package io.sluice.transfer.export;

import io.sluice.transfer.FetchException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * An export's HTTP target: the stream is sent as the body of one {@code PUT} or {@code POST} with chunked transfer
 * encoding, so nothing is staged on disk and memory stays at one 64 KiB chunk. {@link #close()} ends the body and
 * checks that the target answered 2xx.
 *
 * <p>JDK {@link HttpURLConnection} rather than Netty: the export's writer is one blocking thread with an
 * {@link java.io.OutputStream}, which is exactly what its chunked streaming mode offers (see docs/DECISIONS.md).
 */
public final class HttpUpload extends FilterOutputStream implements io.sluice.transfer.ExportJob.Abortable {

    private final HttpURLConnection connection;
    private final URI target;
    private int status = -1;

    private HttpUpload(HttpURLConnection connection, URI target) throws IOException {
        super(connection.getOutputStream());
        this.connection = connection;
        this.target = target;
    }

    public static HttpUpload open(URI target, String method, String contentType) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        c.setRequestMethod(method);
        c.setDoOutput(true);
        c.setChunkedStreamingMode(64 * 1024);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(60_000);
        c.setRequestProperty("Content-Type", contentType);
        c.setRequestProperty("User-Agent", "sluice-export/0.1");
        return new HttpUpload(c, target);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /** The target's status code, after {@link #close()}. */
    public int status() {
        return status;
    }

    /** Drops the connection without ending the chunked body: the target sees a broken upload, not a short one. */
    @Override
    public void abort() {
        status = 0;
        connection.disconnect();
    }

    @Override
    public void close() throws IOException {
        if (status >= 0) {
            return;
        }
        out.close();
        status = connection.getResponseCode();
        try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (body != null) {
                body.readAllBytes();
            }
        } finally {
            connection.disconnect();
        }
        if (status < 200 || status > 299) {
            throw new FetchException("the upload target " + target + " answered HTTP " + status);
        }
    }
}
