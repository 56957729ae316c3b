package io.sluice.gateway.tunnel;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;

/**
 * The wire format of a tunnel stream: an HTTP/2 extended CONNECT (RFC 8441) whose {@code :protocol} is
 * {@value #PROTOCOL} and whose {@code :authority} is the target {@code host:port}, with a bearer token in
 * {@code authorization} when the server wants one. The server answers {@code 200} and the stream then carries the
 * TCP bytes as DATA frames (END_STREAM = FIN), or answers an error status with END_STREAM and a
 * {@code proxy-status} field (RFC 9209) saying why.
 *
 * <pre>
 *   :method = CONNECT          :status = 200
 *   :protocol = connect-tcp    (or 400 / 403 / 407 / 502 / 503 + proxy-status)
 *   :scheme = https
 *   :path = /
 *   :authority = db.internal:5432
 *   authorization = Bearer ...
 * </pre>
 *
 * <p>A UDP session is a CONNECT-UDP stream (RFC 9298 3.4, the HTTP/2 form): {@code :protocol connect-udp}, the
 * target in the default URI template's path {@code /.well-known/masque/udp/{host}/{port}/} (an IPv6 host
 * percent-encoded), {@code :authority} the tunnel server, and {@code capsule-protocol: ?1} (RFC 9297) both ways.
 */
final class ExtendedConnect {

    static final String PROTOCOL = "connect-tcp";
    static final String PROTOCOL_UDP = "connect-udp";
    static final AsciiString PROXY_STATUS = AsciiString.cached("proxy-status");
    static final AsciiString CAPSULE_PROTOCOL = AsciiString.cached("capsule-protocol");
    private static final String UDP_PATH = "/.well-known/masque/udp/";
    /**
     * Per-stream compression (seed 004's COMP flag): the client offers {@code zstd} on a connect-tcp request, the
     * server echoes it on the 200 when it accepts; absent on either, the stream carries plain bytes.
     */
    static final AsciiString COMPRESSION = AsciiString.cached("sluice-compression");
    static final String ZSTD = "zstd";

    private ExtendedConnect() {}

    static Http2HeadersFrame request(String target, String token) {
        return request(target, token, false);
    }

    static Http2HeadersFrame request(String target, String token, boolean offerZstd) {
        Http2Headers h = new DefaultHttp2Headers()
                .method("CONNECT")
                .scheme("https")
                .path("/")
                .authority(target);
        h.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), PROTOCOL);
        if (offerZstd) {
            h.set(COMPRESSION, ZSTD);
        }
        if (token != null) {
            h.set("authorization", "Bearer " + token);
        }
        return new DefaultHttp2HeadersFrame(h, false);
    }

    /** A CONNECT-UDP request for {@code host:port}, sent to the tunnel server {@code authority}. */
    static Http2HeadersFrame udpRequest(String authority, String host, int port, String token) {
        Http2Headers h = new DefaultHttp2Headers()
                .method("CONNECT")
                .scheme("https")
                .path(udpPath(host, port))
                .authority(authority);
        h.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), PROTOCOL_UDP);
        h.set(CAPSULE_PROTOCOL, "?1");
        if (token != null) {
            h.set("authorization", "Bearer " + token);
        }
        return new DefaultHttp2HeadersFrame(h, false);
    }

    static String udpPath(String host, int port) {
        return UDP_PATH + host.replace("%", "%25").replace(":", "%3A") + "/" + port + "/";
    }

    /** The {@code {host, port}} of a CONNECT-UDP path, or empty when it is not one (400). */
    static java.util.Optional<String[]> udpTarget(CharSequence path) {
        if (path == null) {
            return java.util.Optional.empty();
        }
        String p = path.toString();
        int query = p.indexOf('?');
        if (query >= 0) {
            p = p.substring(0, query);
        }
        if (!p.startsWith(UDP_PATH)) {
            return java.util.Optional.empty();
        }
        String[] parts = p.substring(UDP_PATH.length()).split("/", -1);
        // host/port/ -> ["host", "port", ""]; the trailing slash is optional
        if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !parts[2].isEmpty() || parts[0].isEmpty()) {
            return java.util.Optional.empty();
        }
        String host;
        try {
            host = java.net.URLDecoder.decode(parts[0].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return java.util.Optional.of(new String[] {host, parts[1]});
    }

    static Http2HeadersFrame okUdp() {
        Http2Headers h = new DefaultHttp2Headers().status("200");
        h.set(CAPSULE_PROTOCOL, "?1");
        return new DefaultHttp2HeadersFrame(h, false);
    }

    static Http2HeadersFrame ok() {
        return ok(false);
    }

    static Http2HeadersFrame ok(boolean zstd) {
        Http2Headers h = new DefaultHttp2Headers().status("200");
        if (zstd) {
            h.set(COMPRESSION, ZSTD);
        }
        return new DefaultHttp2HeadersFrame(h, false);
    }

    /** Whether {@code h} (a request's or a 200's) names zstd in {@link #COMPRESSION}. */
    static boolean zstd(Http2Headers h) {
        CharSequence v = h.get(COMPRESSION);
        return v != null && AsciiString.contentEqualsIgnoreCase(v, ZSTD);
    }

    /** An error answer that also ends the stream; {@code error} is an RFC 9209 error type. */
    static Http2HeadersFrame refusal(int status, String error, String details) {
        Http2Headers h = new DefaultHttp2Headers().status(Integer.toString(status));
        h.set(PROXY_STATUS, "sluice; error=" + error + "; details=\"" + details.replace("\"", "'") + "\"");
        return new DefaultHttp2HeadersFrame(h, true);
    }

    static CharSequence protocol(Http2Headers h) {
        return h.get(Http2Headers.PseudoHeaderName.PROTOCOL.value());
    }
}
