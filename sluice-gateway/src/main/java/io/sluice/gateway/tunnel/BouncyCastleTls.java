package io.sluice.gateway.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * BouncyCastle's JSSE for the tunnel, used only when {@code tls.named_groups} asks for groups the JDK lacks (the
 * post-quantum hybrid X25519MLKEM768 on JDK 25). Its classes load on first use; neither provider is registered
 * with {@link java.security.Security}, so nothing else in the process changes.
 */
final class BouncyCastleTls {

    /** TLS 1.3 groups BCJSSE can negotiate, by name (the hybrids have no IANA "standard" name in BC). */
    static final List<String> GROUPS = groups();
    private static Provider jsse;

    private BouncyCastleTls() {}

    static synchronized Provider jsse() {
        if (jsse == null) {
            jsse = new BouncyCastleJsseProvider(new BouncyCastleProvider());
        }
        return jsse;
    }

    /**
     * A key manager of BCJSSE's own ("PKIX") for a PEM chain and unencrypted PKCS#8 key: BCJSSE finds no usable
     * credential through the JDK's SunX509 key manager that Netty would build, and fails every TLS 1.3 handshake
     * with "no selectable cipher suite".
     */
    static KeyManagerFactory keyManagers(Path certificate, Path key, Optional<String> password) throws SSLException {
        if (password.isPresent()) {
            throw new SSLException("tunnel.tls.key_password: an encrypted key is not supported with BouncyCastle's"
                    + " JSSE (used for the named groups asked for); decrypt it with `openssl pkcs8 -nocrypt`");
        }
        try {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(certificate)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tunnel", pkcs8(key), new char[0], chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse());
            kmf.init(store, new char[0]);
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new SSLException("cannot load " + certificate + " and " + key + " for BouncyCastle's JSSE: " + e, e);
        }
    }

    private static PrivateKey pkcs8(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(file + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static List<String> groups() {
        Set<String> out = new LinkedHashSet<>();
        for (int g = 0; g <= 0xFFFF; g++) {
            String name = NamedGroup.getName(g);
            if (name != null && NamedGroup.canBeNegotiated(g, ProtocolVersion.TLSv13)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }
}
