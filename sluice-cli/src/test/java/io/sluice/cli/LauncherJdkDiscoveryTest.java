package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two commands find a JDK 21+ on their own through {@code bin/lib/jdk.sh}: JAVA_HOME when it is new
 * enough, else the newest JDK in the JVM directory, else a message naming what to install. Fake JDKs (a
 * {@code release} file and stub binaries) stand in for real ones.
 */
class LauncherJdkDiscoveryTest {

    private static final Path JDK_SH = Path.of("..", "bin", "lib", "jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path jvms;

    @Test
    void picksTheNewestJdkWhenJavaHomeIsUnset() throws Exception {
        fakeJdk("jdk-17", "17.0.9");
        fakeJdk("jdk-21", "21.0.4");
        Path newest = fakeJdk("jdk-25", "25.0.3");

        assertPicked(findJdk(null), newest);
    }

    @Test
    void keepsAJavaHomeThatIsNewEnough() throws Exception {
        Path home = fakeJdk("jdk-21", "21.0.4");
        fakeJdk("jdk-25", "25.0.3");

        assertPicked(findJdk(home), home);
    }

    @Test
    void passesOverAJavaHomeThatIsTooOld() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.9");
        Path newest = fakeJdk("jdk-21", "21.0.4");

        assertPicked(findJdk(old), newest);
    }

    @Test
    void readsLegacyVersionStrings() throws Exception {
        fakeJdk("jdk-8", "1.8.0_402");
        Path newest = fakeJdk("jdk-22", "22");

        assertPicked(findJdk(null), newest);
    }

    @Test
    void stopsWithWhatToInstallWhenNoJdkIsNewEnough() throws Exception {
        fakeJdk("jdk-17", "17.0.9");

        Result r = findJdk(null);

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("needs a JDK 21 or newer").contains("apt-get install -y openjdk-21-jdk-headless");
    }

    private static void assertPicked(Result r, Path jdk) {
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out.strip()).isEqualTo(jdk.toString());
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        for (String tool : new String[] {"java", "javac"}) {
            Path bin = home.resolve("bin").resolve(tool);
            // Never asked when the release file answers: a stub that fails loudly would show it was.
            Files.writeString(bin, "#!/bin/sh\necho 'stub " + tool + " started' >&2\nexit 3\n");
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }

    private Result findJdk(Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                ". \"$1\" && sluice_find_jdk && printf '%s\\n' \"$JAVA_HOME\"", "find-jdk", JDK_SH.toString());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome.toString());
        }
        env.put("SLUICE_JVM_DIR", jvms.toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Result(int exit, String out, String err) {}
}
