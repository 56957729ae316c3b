package io.sluice.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 backend whose answers a test scripts by request number: raw response bytes, or null to
 * close the connection without answering (after reading the whole request, body included). Blocking I/O on
 * virtual threads: for misbehaving backends, not for load.
 */
final class ScriptedBackend implements AutoCloseable {

    @FunctionalInterface
    interface Script {
        /** The raw response to request number {@code index} (0-based, across connections), or null to close. */
        String answer(int index);
    }

    static final Script CLOSE = i -> null;

    static String status(int code, String extraHeaders) {
        return "HTTP/1.1 " + code + " Scripted\r\nContent-Length: 0\r\n" + extraHeaders + "\r\n";
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();

    ScriptedBackend(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    /** {@link System#nanoTime()} at which each request's head had arrived. */
    List<Long> arrivalNanos() {
        return List.copyOf(arrivalNanos);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                arrivalNanos.add(System.nanoTime());
                int index = requests.getAndIncrement();
                consumeBody(in, head);
                String answer = script.answer(index);
                if (answer == null) {
                    return;
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
        } catch (IOException e) {
            // the gateway went away: nothing to do
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new java.util.ArrayList<>();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (l.isEmpty()) {
                    return lines;
                }
                lines.add(l);
            } else {
                line.write(c);
            }
        }
        return null;
    }

    private static void consumeBody(InputStream in, List<String> head) throws IOException {
        long length = 0;
        boolean chunked = false;
        for (String h : head) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            in.skipNBytes(length);
            return;
        }
        while (true) {
            List<String> sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.get(0).split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine(in).get(0).isEmpty()) {
                    // trailers
                }
                return;
            }
            in.skipNBytes(size + 2);
        }
    }

    private static List<String> readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        if (c < 0) {
            throw new IOException("eof");
        }
        return List.of(line.toString(StandardCharsets.ISO_8859_1).stripTrailing());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
