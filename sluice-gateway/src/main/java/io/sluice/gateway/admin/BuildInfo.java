package io.sluice.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * What this binary is: served by {@code /version} and logged at start-up.
 *
 * @param version    the project version ({@code git.build.version}), e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit     abbreviated commit id ({@code git.commit.id.abbrev})
 * @param commitFull full commit id ({@code git.commit.id.full})
 * @param buildTime  when the build ran ({@code git.build.time}), as the build wrote it
 * @param java       the running JVM: {@code Runtime.version()} and vendor, e.g. {@code 21.0.5+11-LTS (Eclipse Adoptium)}
 */
public record BuildInfo(String version, String commit, String commitFull, String buildTime, String java) {

    /** The value of a field the build did not record (e.g. running from an IDE, or built outside git). */
    public static final String UNKNOWN = "unknown";

    /** Where sluice-cli's build writes the git-commit-id plugin's output. */
    public static final String DEFAULT_RESOURCE = "/io/sluice/cli/git.properties";

    public BuildInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(commitFull, "commitFull");
        Objects.requireNonNull(buildTime, "buildTime");
        Objects.requireNonNull(java, "java");
    }

    /** Reads {@value #DEFAULT_RESOURCE}; every field the classpath does not provide is {@value #UNKNOWN}. */
    public static BuildInfo load() {
        return load(DEFAULT_RESOURCE);
    }

    /**
     * Reads a git.properties resource (an absolute classpath path, leading {@code /}); a missing resource
     * or key yields {@value #UNKNOWN} for that field.
     *
     * @throws UncheckedIOException if the resource exists but cannot be read
     */
    public static BuildInfo load(String resource) {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build information from " + resource, e);
        }
        return fromProperties(props);
    }

    /** Builds from git-commit-id-style properties, with {@value #UNKNOWN} for missing keys. */
    public static BuildInfo fromProperties(Properties props) {
        return new BuildInfo(
                value(props, "git.build.version"),
                value(props, "git.commit.id.abbrev"),
                value(props, "git.commit.id.full"),
                value(props, "git.build.time"),
                javaRuntime());
    }

    /** {@code Runtime.version()} and the vendor of the running JVM. */
    public static String javaRuntime() {
        String vendor = System.getProperty("java.vendor");
        Runtime.Version v = Runtime.version();
        return vendor == null || vendor.isBlank() ? v.toString() : v + " (" + vendor + ")";
    }

    private static String value(Properties props, String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? UNKNOWN : v.strip();
    }
}
