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
 */
final class ExtendedConnect {

    static final String PROTOCOL = "connect-tcp";
    static final AsciiString PROXY_STATUS = AsciiString.cached("proxy-status");

    private ExtendedConnect() {}

    static Http2HeadersFrame request(String target, String token) {
        Http2Headers h = new DefaultHttp2Headers()
                .method("CONNECT")
                .scheme("https")
                .path("/")
                .authority(target);
        h.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), PROTOCOL);
        if (token != null) {
            h.set("authorization", "Bearer " + token);
        }
        return new DefaultHttp2HeadersFrame(h, false);
    }

    static Http2HeadersFrame ok() {
        return new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false);
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
