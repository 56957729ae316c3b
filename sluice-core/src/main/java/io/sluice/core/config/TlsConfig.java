package io.sluice.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * PEM files for a TLS listener ({@code server.listeners[i].tls}).
 *
 * @param certificate  certificate chain, PEM
 * @param privateKey   PKCS#8 private key, PEM
 * @param keyPassword  password of an encrypted key, if any
 */
public record TlsConfig(Path certificate, Path privateKey, Optional<String> keyPassword) {}
