package io.sluice.client.transport;

import java.util.Locale;
import java.util.Map;

/**
 * One HTTP response, its body already decompressed.
 *
 * @param status   the status code
 * @param headers  header names in lower case, the first value of each
 * @param body     the body bytes
 * @param protocol the protocol it came over
 */
public record Response(int status, Map<String, String> headers, byte[] body, Protocol protocol) {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
