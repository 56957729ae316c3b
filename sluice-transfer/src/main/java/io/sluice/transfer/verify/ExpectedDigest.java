package io.sluice.transfer.verify;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A whole-file digest the download must match, and where it came from.
 *
 * @param algorithm the JDK {@code MessageDigest} name ({@code SHA-256} or {@code SHA-512})
 * @param value     the expected digest bytes
 * @param source    "--checksum" or "Repr-Digest", for messages
 */
public record ExpectedDigest(String algorithm, byte[] value, String source) {

    /** Parses {@code --checksum sha256:HEX} (also {@code sha512:HEX}); throws {@link IllegalArgumentException} naming the problem. */
    public static ExpectedDigest parseOption(String text) {
        int colon = text.indexOf(':');
        String algo = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT).replace("-", "");
        String hex = colon < 0 ? "" : text.substring(colon + 1).trim();
        int bytes = switch (algo) {
            case "sha256" -> 32;
            case "sha512" -> 64;
            default -> -1;
        };
        if (bytes < 0 || hex.length() != bytes * 2 || !hex.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("--checksum: " + text
                    + " (expected: sha256:<64 hex digits> or sha512:<128 hex digits>)");
        }
        return new ExpectedDigest(bytes == 32 ? "SHA-256" : "SHA-512", HexFormat.of().parseHex(hex), "--checksum");
    }

    /**
     * Reads an RFC 9530 {@code Repr-Digest} field such as {@code sha-256=:BASE64:, sha-512=:BASE64:};
     * prefers sha-512, then sha-256; empty when neither is present or the value is malformed.
     */
    public static Optional<ExpectedDigest> parseReprDigest(String field) {
        if (field == null) {
            return Optional.empty();
        }
        ExpectedDigest best = null;
        for (String member : field.split(",")) {
            int eq = member.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = member.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String val = member.substring(eq + 1).trim();
            if (val.length() < 2 || val.charAt(0) != ':' || val.charAt(val.length() - 1) != ':') {
                continue;
            }
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(val.substring(1, val.length() - 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (key.equals("sha-512") && digest.length == 64) {
                best = new ExpectedDigest("SHA-512", digest, "Repr-Digest");
            } else if (key.equals("sha-256") && digest.length == 32 && best == null) {
                best = new ExpectedDigest("SHA-256", digest, "Repr-Digest");
            }
        }
        return Optional.ofNullable(best);
    }

    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    @Override
    public String toString() {
        return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + ":" + hex() + " (from " + source + ")";
    }
}
