package io.sluice.core.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One entry of a tunnel server's {@code allow:} list: {@code host:port} where host is a name or address
 * ({@code db.internal}, {@code 10.0.0.5}, {@code [::1]}), {@code *.suffix} (any name ending in {@code .suffix}) or
 * {@code *} (any host), and port is a number, a range {@code 8000-8100} or {@code *}. Matching is on the target as
 * the client wrote it, before any DNS lookup, case-insensitively.
 */
public record TargetPattern(String host, int minPort, int maxPort) {

    /** What {@link #parse} accepts, for error messages. */
    public static final String FORMS = "host:port, *.domain:port, *:port, host:8000-8100 or host:*";

    /** The pattern, or empty when {@code text} is not one. */
    public static Optional<TargetPattern> parse(String text) {
        Optional<String[]> split = splitHostPort(text);
        if (split.isEmpty()) {
            return Optional.empty();
        }
        String host = split.get()[0].toLowerCase(Locale.ROOT);
        String port = split.get()[1];
        if (host.isEmpty() || (host.contains("*") && !host.equals("*") && !(host.startsWith("*.")
                && host.indexOf('*', 1) < 0 && host.length() > 2))) {
            return Optional.empty();
        }
        if (port.equals("*")) {
            return Optional.of(new TargetPattern(host, 1, 65535));
        }
        int dash = port.indexOf('-');
        try {
            int lo = Integer.parseInt(dash < 0 ? port : port.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(port.substring(dash + 1));
            if (lo < 1 || hi > 65535 || lo > hi) {
                return Optional.empty();
            }
            return Optional.of(new TargetPattern(host, lo, hi));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Splits {@code host:port} at the last colon; a bracketed IPv6 host keeps its brackets off. Empty when there is
     * no colon, or an unbracketed host has one (an IPv6 address must be bracketed to be unambiguous).
     */
    public static Optional<String[]> splitHostPort(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            return Optional.empty();
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            return Optional.empty();
        }
        return Optional.of(new String[] {host, text.substring(colon + 1)});
    }

    public boolean matches(String targetHost, int targetPort) {
        if (targetPort < minPort || targetPort > maxPort) {
            return false;
        }
        String h = targetHost.toLowerCase(Locale.ROOT);
        if (host.equals("*")) {
            return true;
        }
        if (host.startsWith("*.")) {
            return h.endsWith(host.substring(1)) && h.length() > host.length() - 1;
        }
        return h.equals(host);
    }
}
