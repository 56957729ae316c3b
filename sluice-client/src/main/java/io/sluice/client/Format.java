package io.sluice.client;

/** The body codec the client sends and asks for; errors always come back as problem+json. */
public enum Format {
    JSON("application/json"),
    MSGPACK("application/msgpack");

    private final String mediaType;

    Format(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
