package io.sluice.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The alternative engine measured by {@code bench/loadgen-engines}: one virtual thread per connection with a
 * blocking socket and a minimal HTTP/1.1 response reader (Content-Length or chunked). Plain HTTP/1.1 only; kept
 * to answer "would virtual threads drive load faster than event loops?" with a number, not as the default.
 */
final class VirtualThreadEngine implements Engine {

    private final LoadOptions options;
    private final byte[] request;
    private final List<Probe> probes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final boolean head;

    VirtualThreadEngine(LoadOptions o, RequestTemplate template) {
        this.options = o;
        this.request = template.bytes();
        this.head = o.method().equals("HEAD");
        for (int i = 0; i < o.connections(); i++) {
            probes.add(new Probe());
        }
    }

    @Override
    public List<Probe> probes() {
        return probes;
    }

    @Override
    public void start(RunControl run) {
        long interval = options.openModel() ? Math.max(1, Math.round(options.connections() * 1e9 / options.rate())) : 0;
        long stagger = options.openModel() ? Math.round(1e9 / options.rate()) : 0;
        for (int i = 0; i < options.connections(); i++) {
            Probe probe = probes.get(i);
            long first = run.startNanos() + stagger * i;
            threads.add(Thread.ofVirtual().name("sluice-bench-vt-" + i).start(() -> drive(run, probe, first, interval)));
        }
    }

    private void drive(RunControl run, Probe probe, long first, long interval) {
        Socket socket = null;
        Counting reader = null;
        long intended = first;
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        try {
            long untilStart;
            while ((untilStart = first - System.nanoTime()) > 0) {
                LockSupport.parkNanos(untilStart);
            }
            while (true) {
                long send = interval > 0 ? intended : System.nanoTime();
                if (interval > 0) {
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                if (!run.admit(send)) {
                    return;
                }
                boolean measured = run.measured(send);
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(options.url().getHost(), options.port()), timeoutMillis);
                        socket.setSoTimeout(timeoutMillis);
                        reader = new Counting(socket.getInputStream());
                    }
                } catch (IOException e) {
                    close(socket);
                    socket = null;
                    if (measured) {
                        probe.error(ErrorKind.CONNECT);
                    }
                    if (interval == 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                    intended += interval;
                    continue;
                }
                long sent = System.nanoTime();
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    long[] read = readResponse(reader);
                    long now = System.nanoTime();
                    if (measured) {
                        probe.bytesOut(request.length);
                        probe.bytesIn(read[1]);
                        probe.response(now - send, now - sent);
                        if (read[0] >= 500) {
                            probe.error(ErrorKind.STATUS_5XX);
                        } else if (read[0] >= 400) {
                            probe.error(ErrorKind.STATUS_4XX);
                        }
                    }
                    if (read[2] == 0) {
                        close(socket);
                        socket = null;
                    }
                } catch (IOException e) {
                    close(socket);
                    socket = null;
                    if (measured) {
                        probe.error(e instanceof SocketTimeoutException ? ErrorKind.TIMEOUT
                                : e instanceof ConnectException ? ErrorKind.CONNECT : ErrorKind.RESET);
                    }
                }
                intended += interval;
            }
        } finally {
            close(socket);
            run.laneDone();
        }
    }

    /** Reads one response; returns {status, bytes read, keep-alive 1/0}. */
    private long[] readResponse(Counting c) throws IOException {
        c.count = 0;
        int status;
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = true;
        String line = c.line();
        if (line.length() < 12 || !line.startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + line);
        }
        status = Integer.parseInt(line.substring(9, 12));
        while (!(line = c.line()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (head || status == 204 || status == 304 || status < 200) {
            return new long[] {status, c.count, keepAlive ? 1 : 0};
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(c.line().split(";")[0].trim(), 16)) > 0) {
                c.skip(size);
                c.line();
            }
            while (!c.line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            c.skip(length);
        } else {
            c.skip(Long.MAX_VALUE);
            keepAlive = false;
        }
        return new long[] {status, c.count, keepAlive ? 1 : 0};
    }

    /** Header lines and body skipping over one buffer per connection; counts the bytes read. */
    private static final class Counting {
        private final InputStream in;
        long count;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;

        Counting(InputStream in) {
            this.in = in;
        }

        private int read() throws IOException {
            if (pos == lim && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == lim && !fill()) {
                    if (n == Long.MAX_VALUE) {
                        return; // body delimited by close
                    }
                    throw new IOException("connection closed mid-body");
                }
                int take = (int) Math.min(n, lim - pos);
                pos += take;
                n -= take;
            }
        }

        private boolean fill() throws IOException {
            pos = 0;
            lim = Math.max(0, in.read(buf, 0, buf.length));
            count += lim;
            return lim > 0;
        }
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
