package io.sluice.gateway;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking loopback file server for job tests: HEAD and GET of one in-memory file with single byte ranges, a
 * strong ETag and keep-alive, writing at most {@code bytesPerSecond} per connection so a transfer takes a while.
 */
final class SlowRangeServer implements AutoCloseable {

    private final byte[] file;
    private final long bytesPerSecond;
    private final ServerSocket server;
    final AtomicLong bytesServed = new AtomicLong();

    SlowRangeServer(byte[] file, long bytesPerSecond) throws IOException {
        this.file = file;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("slow-range-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String range = null;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon > 0 && h.substring(0, colon).equalsIgnoreCase("range")) {
                        range = h.substring(colon + 1).strip();
                    }
                }
                boolean head = requestLine.startsWith("HEAD ");
                long start = 0;
                long end = file.length - 1;
                String status = "200 OK";
                String contentRange = "";
                if (range != null && range.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
                    String[] se = range.substring(6).split("-", 2);
                    start = Long.parseLong(se[0]);
                    if (se.length > 1 && !se[1].isEmpty()) {
                        end = Math.min(end, Long.parseLong(se[1]));
                    }
                    status = "206 Partial Content";
                    contentRange = "Content-Range: bytes " + start + "-" + end + "/" + file.length + "\r\n";
                }
                long length = end - start + 1;
                String headers = "HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\n" + contentRange
                        + "Accept-Ranges: bytes\r\nETag: \"v1-" + file.length + "\"\r\n\r\n";
                out.write(headers.getBytes(StandardCharsets.US_ASCII));
                if (!head) {
                    int slice = (int) Math.max(1024, bytesPerSecond / 50);
                    for (long pos = start; pos <= end; pos += slice) {
                        int n = (int) Math.min(slice, end - pos + 1);
                        out.write(file, (int) pos, n);
                        out.flush();
                        bytesServed.addAndGet(n);
                        Thread.sleep(20);
                    }
                }
                out.flush();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // client went away
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
