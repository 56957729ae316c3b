package io.sluice.gateway.http.codec;

import io.netty.handler.codec.DecoderException;

/**
 * The cause on a failed {@link io.netty.handler.codec.DecoderResult} when Sluice's own strict checks reject a
 * message whose framing or syntax is ambiguous (rather than one of Netty's checks).
 *
 * <p>The message is a short, constant, client-safe reason such as
 * {@code "both Content-Length and Transfer-Encoding present"}; it never echoes bytes of the offending
 * message, so it can go into an error response as is. No stack trace is captured: these are expected
 * events on a public listener, not bugs.
 */
public final class HttpFramingException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public HttpFramingException(String reason) {
        super(reason);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
