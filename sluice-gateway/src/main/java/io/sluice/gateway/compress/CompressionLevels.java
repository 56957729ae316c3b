package io.sluice.gateway.compress;

/**
 * How hard responses are compressed (seed 000's levels): gzip {@code fast} = 1, {@code balanced} = 6,
 * {@code maximum} = 9; zstd 1..22. Netty fixes the encoders' levels when the handler is built, so these are per
 * listener; what to compress is per route ({@link CompressionPolicy}).
 */
public record CompressionLevels(int gzipLevel, int zstdLevel) {

    public static CompressionLevels balanced() {
        return new CompressionLevels(6, 3);
    }

    public CompressionLevels {
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level must be 1..9, got " + gzipLevel);
        }
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstd level must be 1..22, got " + zstdLevel);
        }
    }
}
