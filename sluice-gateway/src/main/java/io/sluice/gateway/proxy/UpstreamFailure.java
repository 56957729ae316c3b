package io.sluice.gateway.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.core.pool.PoolTimeoutException;
import java.net.ConnectException;
import java.time.Duration;

/** Why an upstream exchange failed, and what the client is told. */
public record UpstreamFailure(Kind kind, HttpResponseStatus status, String reason) {

    public enum Kind {
        CONNECT_REFUSED,
        CONNECT_TIMEOUT,
        POOL_TIMEOUT,
        READ_TIMEOUT,
        WRITE_TIMEOUT,
        RESET,
        BAD_RESPONSE;

        /** The metric tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static UpstreamFailure ofConnect(String backend, Throwable cause, Duration connectTimeout) {
        if (cause instanceof PoolTimeoutException) {
            return new UpstreamFailure(Kind.POOL_TIMEOUT, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "service unavailable: no connection to backend " + backend + " became free ("
                            + cause.getMessage() + ")");
        }
        if (cause instanceof ConnectTimeoutException) {
            return new UpstreamFailure(Kind.CONNECT_TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT,
                    "gateway timeout: connecting to backend " + backend + " took longer than "
                            + millis(connectTimeout));
        }
        if (cause instanceof ConnectException) {
            return new UpstreamFailure(Kind.CONNECT_REFUSED, HttpResponseStatus.BAD_GATEWAY,
                    "bad gateway: backend " + backend + " refused the connection");
        }
        return new UpstreamFailure(Kind.CONNECT_REFUSED, HttpResponseStatus.BAD_GATEWAY,
                "bad gateway: could not connect to backend " + backend + ": " + cause.getMessage());
    }

    static UpstreamFailure readTimeout(String backend, Duration timeout) {
        return new UpstreamFailure(Kind.READ_TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT,
                "gateway timeout: backend " + backend + " did not answer within " + millis(timeout));
    }

    static UpstreamFailure perTryTimeout(String backend, Duration timeout) {
        return new UpstreamFailure(Kind.READ_TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT,
                "gateway timeout: backend " + backend + " did not answer within the per-try timeout of "
                        + millis(timeout));
    }

    static UpstreamFailure writeTimeout(String backend, Duration timeout) {
        return new UpstreamFailure(Kind.WRITE_TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT,
                "gateway timeout: backend " + backend + " did not accept the request within " + millis(timeout));
    }

    static UpstreamFailure reset(String backend) {
        return new UpstreamFailure(Kind.RESET, HttpResponseStatus.BAD_GATEWAY,
                "bad gateway: backend " + backend + " closed the connection before a complete response");
    }

    static UpstreamFailure badResponse(String backend, Throwable cause) {
        return new UpstreamFailure(Kind.BAD_RESPONSE, HttpResponseStatus.BAD_GATEWAY,
                "bad gateway: backend " + backend + " sent a malformed response"
                        + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
