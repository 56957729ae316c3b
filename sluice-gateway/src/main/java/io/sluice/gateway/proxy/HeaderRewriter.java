package io.sluice.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.sluice.core.config.ProxyHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The RFC 9110 §7.6 rules a proxy applies to every message it forwards: drop hop-by-hop fields
 * (and any field the Connection header names), add Via, and on requests the X-Forwarded-* trio.
 *
 * <p>{@code Transfer-Encoding: chunked} survives on purpose: the framing layer has already
 * rejected every other transfer coding, and Netty's encoder needs the header to write chunks.
 */
public final class HeaderRewriter {

    private static final AsciiString[] HOP_BY_HOP = {
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TRAILER};
    private static final int CONNECTION_INDEX = 0;
    private static final HttpConversionUtil.ExtensionHeaderNames[] HTTP2_EXTENSIONS =
            HttpConversionUtil.ExtensionHeaderNames.values();

    // AsciiString names carry their hash; a String name is hashed again on every get and set.
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    private final ProxyHeaders settings;
    /** This proxy's Via entry per protocol version received, built once. */
    private final String via10;
    private final String via11;
    private final String via2;

    public HeaderRewriter(ProxyHeaders settings) {
        this.settings = settings;
        this.via10 = "1.0 " + settings.viaName();
        this.via11 = "1.1 " + settings.viaName();
        this.via2 = "2 " + settings.viaName();
    }

    /**
     * Rewrites a client request in place for the backend.
     *
     * @param clientIp       the client's address, without port
     * @param scheme         {@code http} or {@code https}, as the client connected
     * @param receivedVersion the protocol the client used, for Via ({@code 1.1}, {@code 2})
     * @param backendAuthority the backend's host:port, used as Host unless preserve_host
     */
    public void toUpstream(HttpMessage request, String clientIp, String scheme, String receivedVersion,
                           String backendAuthority) {
        HttpHeaders headers = request.headers();
        removeHopByHop(headers);
        if ("2".equals(receivedVersion)) {
            removeHttp2Extensions(headers);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String host = headers.get(HttpHeaderNames.HOST);
        if (!settings.preserveHost() || host == null) {
            headers.set(HttpHeaderNames.HOST, backendAuthority);
        }
        if (settings.xForwarded()) {
            String prior = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, prior == null ? clientIp : prior + ", " + clientIp);
            headers.set(X_FORWARDED_PROTO, scheme);
            if (host != null) {
                headers.set(X_FORWARDED_HOST, host);
            }
        }
        addVia(headers, receivedVersion);
    }

    /** Points an already rewritten request at another backend (a retry): only Host may name the old one. */
    public void retarget(HttpMessage request, String backendAuthority) {
        if (!settings.preserveHost()) {
            request.headers().set(HttpHeaderNames.HOST, backendAuthority);
        }
    }

    /** Rewrites a backend response in place for the client. */
    public void toDownstream(HttpMessage response, String receivedVersion) {
        HttpHeaders headers = response.headers();
        removeHopByHop(headers);
        addVia(headers, receivedVersion);
    }

    private void addVia(HttpHeaders headers, String receivedVersion) {
        if (settings.via()) {
            String entry = switch (receivedVersion) {
                case "1.1" -> via11;
                case "1.0" -> via10;
                case "2" -> via2;
                default -> receivedVersion + " " + settings.viaName();
            };
            String prior = headers.get(HttpHeaderNames.VIA);
            headers.set(HttpHeaderNames.VIA, prior == null ? entry : prior + ", " + entry);
        }
    }

    /**
     * Removes the hop-by-hop fields and those the Connection header names. One pass over the fields finds which are
     * present, so only those cost a removal: most messages carry none, or only {@code Connection: keep-alive}.
     */
    static void removeHopByHop(HttpHeaders headers) {
        int present = 0; // bit i: a field named HOP_BY_HOP[i] is present
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            int index = hopByHopIndex(it.next().getKey());
            if (index >= 0) {
                present |= 1 << index;
            }
        }
        if (present == 0) {
            return;
        }
        List<String> named = (present & 1 << CONNECTION_INDEX) != 0 ? connectionOptions(headers) : List.of();
        for (int i = 0; i < HOP_BY_HOP.length; i++) {
            if ((present & 1 << i) != 0) {
                headers.remove(HOP_BY_HOP[i]);
            }
        }
        for (int i = 0; i < named.size(); i++) {
            headers.remove(named.get(i));
        }
    }

    /** Which of HOP_BY_HOP {@code name} is (case-insensitively), or -1. */
    private static int hopByHopIndex(CharSequence name) {
        int length = name.length();
        for (int i = 0; i < HOP_BY_HOP.length; i++) {
            if (HOP_BY_HOP[i].length() == length && HOP_BY_HOP[i].contentEqualsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code value[start, end)} is one of HOP_BY_HOP or Transfer-Encoding: options that need no removal. */
    private static boolean removedAnyway(String value, int start, int end) {
        int length = end - start;
        for (AsciiString name : HOP_BY_HOP) {
            if (name.length() == length && name.regionMatches(true, 0, value, start, length)) {
                return true;
            }
        }
        return length == HttpHeaderNames.TRANSFER_ENCODING.length()
                && HttpHeaderNames.TRANSFER_ENCODING.regionMatches(true, 0, value, start, length);
    }

    /**
     * The field names listed in Connection that still need removing: not the hop-by-hop fields (removed anyway),
     * never Transfer-Encoding (see the class comment). The usual {@code keep-alive} costs no allocation beyond
     * the list of values.
     */
    private static List<String> connectionOptions(HttpHeaders headers) {
        List<String> names = List.of();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int from = start;
                int to = end;
                while (from < to && value.charAt(from) <= ' ') {
                    from++;
                }
                while (to > from && value.charAt(to - 1) <= ' ') {
                    to--;
                }
                if (from < to && !removedAnyway(value, from, to)) {
                    if (names.isEmpty()) {
                        names = new ArrayList<>(2);
                    }
                    names.add(value.substring(from, to));
                }
                start = end + 1;
            }
        }
        return names;
    }

    private static void removeHttp2Extensions(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HTTP2_EXTENSIONS) {
            headers.remove(name.text());
        }
    }
}
