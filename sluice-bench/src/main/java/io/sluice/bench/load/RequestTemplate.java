package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The request every lane sends, encoded once: the HTTP/1.1 head as bytes, the HTTP/2 header block, and the body
 * in one direct buffer that each request sends as a retained duplicate (no copy, no per-request read).
 *
 * <p>A {@code --body-file} is read once, whole, into that direct buffer; files larger than
 * {@link #MAX_BODY_FILE_BYTES} (64 MiB) are rejected rather than streamed from disk on every request, which would
 * measure the disk instead of the server.
 */
public final class RequestTemplate implements AutoCloseable {

    public static final long MAX_BODY_FILE_BYTES = 64L * 1024 * 1024;

    private final ByteBuf head;
    private final ByteBuf body;
    private final Http2Headers h2Headers;

    private RequestTemplate(ByteBuf head, ByteBuf body, Http2Headers h2Headers) {
        this.head = head;
        this.body = body;
        this.h2Headers = h2Headers;
    }

    public static RequestTemplate of(LoadOptions o) {
        ByteBuf body = readBody(o);
        try {
            StringBuilder sb = new StringBuilder(256);
            sb.append(o.method()).append(' ').append(o.pathAndQuery()).append(" HTTP/1.1\r\n");
            boolean hasHost = o.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("host"));
            boolean hasAgent = o.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("user-agent"));
            if (!hasHost) {
                sb.append("Host: ").append(o.authority()).append("\r\n");
            }
            if (!hasAgent) {
                sb.append("User-Agent: sluice-bench\r\n");
            }
            Http2Headers h2 = new DefaultHttp2Headers()
                    .method(o.method()).path(o.pathAndQuery()).scheme(o.tls() ? "https" : "http").authority(o.authority());
            for (LoadOptions.Header h : o.headers()) {
                if (h.name().equalsIgnoreCase("host")) {
                    h2.authority(h.value());
                } else if (!h.name().equalsIgnoreCase("content-length")) {
                    h2.add(h.name().toLowerCase(Locale.ROOT), h.value());
                }
                if (!h.name().equalsIgnoreCase("content-length")) {
                    sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
                }
            }
            if (!hasAgent) {
                h2.add("user-agent", "sluice-bench");
            }
            if (body.isReadable() || !o.method().equals("GET") && !o.method().equals("HEAD")) {
                sb.append("Content-Length: ").append(body.readableBytes()).append("\r\n");
                h2.setLong("content-length", body.readableBytes());
            }
            sb.append("\r\n");
            byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            ByteBuf head = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            return new RequestTemplate(head, body, h2);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    private static ByteBuf readBody(LoadOptions o) {
        if (o.body() != null) {
            byte[] b = o.body().getBytes(StandardCharsets.UTF_8);
            return Unpooled.directBuffer(Math.max(b.length, 1)).writeBytes(b);
        }
        if (o.bodyFile() == null) {
            return Unpooled.directBuffer(1);
        }
        try (FileChannel ch = FileChannel.open(o.bodyFile(), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_BODY_FILE_BYTES) {
                throw new IllegalArgumentException("--body-file: " + o.bodyFile() + " is " + size
                        + " bytes (expected: at most " + MAX_BODY_FILE_BYTES + ", 64 MiB; it is held in memory once)");
            }
            ByteBuf buf = Unpooled.directBuffer((int) Math.max(size, 1));
            try {
                while (buf.writerIndex() < size) {
                    if (buf.writeBytes(ch, buf.writerIndex(), (int) (size - buf.writerIndex())) < 0) {
                        break;
                    }
                }
                return buf;
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--body-file: " + o.bodyFile() + ": " + e.getMessage(), e);
        }
    }

    /** The encoded request line and headers, to be written as is; the caller owns the returned reference. */
    public ByteBuf head() {
        return head.retainedDuplicate();
    }

    public boolean hasBody() {
        return body.isReadable();
    }

    /** The body; the caller owns the returned reference. */
    public ByteBuf body() {
        return body.retainedDuplicate();
    }

    public int bodyLength() {
        return body.readableBytes();
    }

    /** Shared, never modified after construction. */
    public Http2Headers h2Headers() {
        return h2Headers;
    }

    /** Head and body as one array, for the blocking (virtual-thread) engine. */
    public byte[] bytes() {
        byte[] out = new byte[head.readableBytes() + body.readableBytes()];
        head.getBytes(head.readerIndex(), out, 0, head.readableBytes());
        body.getBytes(body.readerIndex(), out, head.readableBytes(), body.readableBytes());
        return out;
    }

    @Override
    public void close() {
        head.release();
        body.release();
    }
}
