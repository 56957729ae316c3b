package io.sluice.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.sluice.core.config.ProxyHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9110 §7.6 rules a proxy applies to every message it forwards: drop hop-by-hop fields
 * (and any field the Connection header names), add Via, and on requests the X-Forwarded-* trio.
 *
 * <p>{@code Transfer-Encoding: chunked} survives on purpose: the framing layer has already
 * rejected every other transfer coding, and Netty's encoder needs the header to write chunks.
 */
public final class HeaderRewriter {

    private static final CharSequence[] HOP_BY_HOP = {
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TRAILER};
    private static final HttpConversionUtil.ExtensionHeaderNames[] HTTP2_EXTENSIONS =
            HttpConversionUtil.ExtensionHeaderNames.values();

    private static final String X_FORWARDED_FOR = "x-forwarded-for";
    private static final String X_FORWARDED_PROTO = "x-forwarded-proto";
    private static final String X_FORWARDED_HOST = "x-forwarded-host";

    private final ProxyHeaders settings;

    public HeaderRewriter(ProxyHeaders settings) {
        this.settings = settings;
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
            String entry = receivedVersion + " " + settings.viaName();
            String prior = headers.get(HttpHeaderNames.VIA);
            headers.set(HttpHeaderNames.VIA, prior == null ? entry : prior + ", " + entry);
        }
    }

    static void removeHopByHop(HttpHeaders headers) {
        List<String> named = headers.contains(HttpHeaderNames.CONNECTION) ? connectionOptions(headers) : List.of();
        for (CharSequence name : HOP_BY_HOP) {
            headers.remove(name);
        }
        for (String name : named) {
            if (!HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                headers.remove(name);
            }
        }
    }

    private static List<String> connectionOptions(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
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
