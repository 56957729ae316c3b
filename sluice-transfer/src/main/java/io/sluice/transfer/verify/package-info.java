/**
 * Integrity checks: per-range CRC32C re-verification on resume and whole-file digests
 * ({@link io.sluice.transfer.verify.FileVerifier}), and the expected digest from {@code --checksum}
 * or an RFC 9530 {@code Repr-Digest} ({@link io.sluice.transfer.verify.ExpectedDigest}).
 */
package io.sluice.transfer.verify;
