package io.sluice.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a route spreads requests over its backends: the {@code algorithm:} and the options some algorithms read.
 *
 * @param algorithm  the balancer, one of {@code io.sluice.core.balance.BalancingStrategy.names()}
 * @param hashKey    what {@code ip_hash} hashes (default: the client IP)
 * @param slowStart  how long a backend that (re)joins ramps up to its full weight; zero is off.
 *                   Honoured by the weight-aware algorithms only
 * @param ewmaDecay  the time constant (tau) of {@code least_response_time}'s latency average
 */
public record BalancerConfig(String algorithm, HashKey hashKey, Duration slowStart, Duration ewmaDecay) {

    public BalancerConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hashKey, "hashKey");
        Objects.requireNonNull(slowStart, "slowStart");
        Objects.requireNonNull(ewmaDecay, "ewmaDecay");
    }

    /** The default algorithm ({@code power_of_two_choices}) with every option at its default. */
    public static BalancerConfig defaults() {
        return Defaults.BALANCER;
    }

    /** The defaults of every option, with the given algorithm. */
    public static BalancerConfig of(String algorithm) {
        return new BalancerConfig(algorithm, HashKey.CLIENT_IP, Duration.ZERO, Defaults.EWMA_DECAY);
    }

    /**
     * What identifies a client to {@code ip_hash}: its address, a request header or a cookie. A request without
     * the header or cookie is hashed by its client address.
     *
     * @param source where the key comes from
     * @param name   the header or cookie name; empty for {@link Source#CLIENT_IP}
     */
    public record HashKey(Source source, String name) {

        public static final HashKey CLIENT_IP = new HashKey(Source.CLIENT_IP, "");

        public enum Source { CLIENT_IP, HEADER, COOKIE }

        public HashKey {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            if ((source == Source.CLIENT_IP) != name.isEmpty()) {
                throw new IllegalArgumentException(source + " with name \"" + name + "\"");
            }
        }

        public static HashKey header(String name) {
            return new HashKey(Source.HEADER, name);
        }

        public static HashKey cookie(String name) {
            return new HashKey(Source.COOKIE, name);
        }

        /** Reads the configuration form: {@code client_ip}, {@code header:<Name>} or {@code cookie:<name>}. */
        static Optional<HashKey> parse(String text) {
            if (text.equals("client_ip")) {
                return Optional.of(CLIENT_IP);
            }
            int colon = text.indexOf(':');
            if (colon < 0 || !isToken(text.substring(colon + 1))) {
                return Optional.empty();
            }
            String name = text.substring(colon + 1);
            return switch (text.substring(0, colon)) {
                case "header" -> Optional.of(header(name));
                case "cookie" -> Optional.of(cookie(name));
                default -> Optional.empty();
            };
        }

        /** RFC 9110 token: what a header or cookie name may be made of. */
        private static boolean isToken(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** The configuration form, as {@link #parse} reads it. */
        @Override
        public String toString() {
            return source == Source.CLIENT_IP ? "client_ip" : source.name().toLowerCase(Locale.ROOT) + ":" + name;
        }
    }
}
