package io.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.api.Codec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain JDK client for the control API in one codec; decodes answers by their Content-Type. */
final class AdminClient {

    /**
     * One JDK client per AdminClient, never shared between gateways: a later gateway can get an earlier one's
     * ephemeral port, and a pooled connection to the closed one then fails a POST (which the JDK does not retry).
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, headers and the decoded document (null when there is none). */
    record Answer(int status, java.net.http.HttpHeaders headers, JsonNode body, byte[] raw) {
        String contentType() {
            return headers.firstValue("content-type").orElse("");
        }
    }

    private final int port;
    private final Codec codec;
    private final List<String> extraHeaders = new ArrayList<>();

    AdminClient(Gateway gateway, Codec codec) {
        this(gateway.adminPort(), codec);
    }

    AdminClient(int port, Codec codec) {
        this.port = port;
        this.codec = codec;
    }

    AdminClient header(String name, String value) {
        extraHeaders.add(name);
        extraHeaders.add(value);
        return this;
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** Sends {@code body} (any Jackson-writable value, or null) encoded with this client's codec. */
    Answer send(String method, String path, Object body) throws Exception {
        byte[] bytes = body == null ? null : codec.mapper().writeValueAsBytes(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", codec.mediaType())
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            b.header("Content-Type", codec.mediaType());
        }
        for (int i = 0; i < extraHeaders.size(); i += 2) {
            b.header(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
        return exchange(b.build());
    }

    /** Sends raw bytes with the given headers (name, value, name, value...). */
    Answer raw(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        for (int i = 0; i < extraHeaders.size(); i += 2) {
            b.header(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
        return exchange(b.build());
    }

    Answer exchange(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        byte[] raw = r.body();
        String encoding = r.headers().firstValue("content-encoding").orElse("");
        if (encoding.equals("gzip")) {
            raw = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
        }
        String type = r.headers().firstValue("content-type").orElse("");
        JsonNode body = null;
        if (raw.length > 0) {
            Codec c = Codec.ofMediaType(type);
            body = c == null ? null : c.mapper().readTree(raw);
        }
        return new Answer(r.statusCode(), r.headers(), body, raw);
    }
}
