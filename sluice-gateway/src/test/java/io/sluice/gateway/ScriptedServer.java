package io.sluice.gateway;

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
 * A loopback HTTP/1.1 backend with one scripted behaviour, reading each request's whole body (Content-Length or
 * chunked) and recording it: {@link Mode#RESET} resets the connection, {@link Mode#STALL} never answers (and counts
 * the connection when the gateway closes it), {@link Mode#ECHO} answers 200 with the body it received.
 */
final class ScriptedServer implements AutoCloseable {

    enum Mode { RESET, STALL, ECHO }

    private final ServerSocket server;
    private final Mode mode;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger closedByPeer = new AtomicInteger();
    final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    ScriptedServer(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                byte[] body = readBody(in, head);
                requests.incrementAndGet();
                bodies.add(body);
                switch (mode) {
                    case RESET -> {
                        socket.setSoLinger(true, 0); // RST, not FIN
                        return;
                    }
                    case STALL -> {
                        if (in.read() == -1) {
                            closedByPeer.incrementAndGet();
                        }
                        return;
                    }
                    case ECHO -> {
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().write(body);
                        socket.getOutputStream().flush();
                    }
                }
            }
        } catch (IOException e) {
            if (mode == Mode.STALL) {
                closedByPeer.incrementAndGet(); // a reset is a close too
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String line = readLine(in);
                if (line.isEmpty()) {
                    continue;
                }
                int size = Integer.parseInt(line.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        int at = lower.indexOf("content-length:");
        if (at < 0) {
            return new byte[0];
        }
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
        return in.readNBytes(length);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
