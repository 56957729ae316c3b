package io.sluice.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import io.sluice.client.msgpack.StreamingMessagePackFactory;

/**
 * The two body encodings of the control API: JSON and MessagePack, one document model (snake_case names). Both
 * mappers are thread-safe and built once.
 */
public enum Codec {
    JSON("application/json", new ObjectMapper()),
    MSGPACK("application/msgpack", new ObjectMapper(new StreamingMessagePackFactory()));

    /** What 415 and 406 answers list as supported. */
    public static final List<String> MEDIA_TYPES = List.of("application/json", "application/msgpack");

    private final String mediaType;
    private final ObjectMapper mapper;

    Codec(String mediaType, ObjectMapper mapper) {
        this.mediaType = mediaType;
        this.mapper = mapper
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .registerModule(new SimpleModule("sluice-api").addSerializer(new BackendViewSerializer())
                        .addSerializer(new BatchResultSerializer()));
        if (!mediaType.equals("application/msgpack")) {
            // The MessagePack parser reports the end of input as an error instead of "no more tokens", so this
            // check only works for JSON there.
            this.mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    }

    public String mediaType() {
        return mediaType;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The codec of a media type ({@code application/json}, {@code application/msgpack} or its aliases), or null. */
    public static Codec ofMediaType(String mediaType) {
        String m = mediaType.toLowerCase(Locale.ROOT).strip();
        int semi = m.indexOf(';');
        if (semi >= 0) {
            m = m.substring(0, semi).strip();
        }
        return switch (m) {
            case "application/json", "application/problem+json" -> JSON;
            case "application/msgpack", "application/x-msgpack", "application/vnd.msgpack" -> MSGPACK;
            default -> null;
        };
    }

    /** The codec a request body is in: by {@code Content-Type}, JSON when absent; 415 when unsupported. */
    public static Codec forContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        Codec codec = ofMediaType(contentType);
        if (codec == null) {
            throw new ApiException(415, "unsupported-media-type", "Content-Type " + contentType.strip()
                    + " is not supported (supported: " + String.join(", ", MEDIA_TYPES) + ")", List.of(), MEDIA_TYPES);
        }
        return codec;
    }

    /**
     * The codec the answer is in, by {@code Accept} with q-values (RFC 9110 12.5.1): the most preferred supported
     * type, JSON on a tie or when {@code Accept} is absent or allows anything; 406 when neither is acceptable.
     */
    public static Codec forAccept(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        double json = -1;
        double msgpack = -1;
        double wildcard = -1;
        for (String part : accept.split(",")) {
            String[] params = part.split(";");
            String type = params[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip();
                if (p.startsWith("q=") || p.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2).strip());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            Codec c = ofMediaType(type);
            if (c == JSON) {
                json = Math.max(json, q);
            } else if (c == MSGPACK) {
                msgpack = Math.max(msgpack, q);
            } else if (type.equals("*/*") || type.equals("application/*")) {
                wildcard = Math.max(wildcard, q);
            }
        }
        if (json < 0) {
            json = wildcard;
        }
        if (msgpack < 0) {
            msgpack = wildcard;
        }
        if (json <= 0 && msgpack <= 0) {
            throw new ApiException(406, "not-acceptable", "Accept " + accept.strip()
                    + " allows no supported type (supported: " + String.join(", ", MEDIA_TYPES) + ")",
                    List.of(), MEDIA_TYPES);
        }
        return msgpack > json ? MSGPACK : JSON;
    }

    /** Parses a body; 400 with the parser's position when it is not well-formed. */
    public JsonNode readTree(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty; expected a " + mediaType + " document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed " + mediaType + " body: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable " + mediaType + " body: " + e.getMessage());
        }
    }

    public byte[] write(Object value) {
        try {
            return this == MSGPACK ? StreamingMessagePackFactory.writeValueAsBytes(mapper, value)
                    : mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as " + mediaType, e);
        }
    }

    /**
     * Binds a decoded body to {@code type}; 422 naming the field when a field is unknown or of the wrong type, 400
     * when there is no body.
     */
    public static <T> T bind(JsonNode body, Class<T> type, String what) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.badRequest("a request body is required: " + what);
        }
        if (!body.isObject()) {
            throw new ApiException(422, "validation", "the body must be an object (" + what + "), got "
                    + body.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        try {
            return JSON.mapper.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            String message = "unknown field (known: " + known + ")";
            throw invalid(e.getPropertyName(), message);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw invalid(field.isEmpty() ? "<body>" : field, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("cannot read " + what + ": " + e.getOriginalMessage());
        }
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.invalid(field, message);
    }
}
