package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticAndCompressionConfigTest {

    @TempDir
    Path dir;

    @Test
    void staticRouteNeedsAnExistingDirectoryAndNoBackends() {
        assertThat(errors("""
                routes:
                  - name: files
                    static: {root: /nonexistent/dir}
                """)).containsExactly("routes[0].static.root: must be a readable directory, got \"/nonexistent/dir\""
                + " (/nonexistent/dir is not one)");
        assertThat(errors("""
                routes:
                  - name: files
                    static: {root: %s}
                    backends: [{host: a, port: 1}]
                """.formatted(dir))).containsExactly(
                "routes[0].backends: must be absent when static is set (a route either serves files or proxies)");
    }

    @Test
    void staticRouteLoadsWithoutBackends() throws Exception {
        SluiceConfig c = ConfigLoader.parse("routes:\n  - name: files\n    static: {root: %s}\n".formatted(dir), "t");
        assertThat(c.routes().get(0).files()).contains(new StaticFilesConfig(dir.toAbsolutePath().normalize()));
        assertThat(c.routes().get(0).backends()).isEmpty();
    }

    @Test
    void compressionLevelsAreNamedOrNumberedAndOnlyTopLevel() throws Exception {
        assertThat(ConfigLoader.parse("compression: {level: maximum}", "t").compression().gzipLevel()).isEqualTo(9);
        assertThat(ConfigLoader.parse("compression: {level: 2}", "t").compression().gzipLevel()).isEqualTo(2);
        assertThat(errors("compression: {level: turbo}"))
                .containsExactly("compression.level: must be one of fast, balanced, maximum or 1..9, got \"turbo\"");
        assertThat(errors("compression: {zstd_level: 30}"))
                .containsExactly("compression.zstd_level: must be 1..22, got 30");
        assertThat(errors("""
                routes:
                  - name: a
                    compression: {level: fast}
                    backends: [{host: a, port: 1}]
                """)).containsExactly("routes[0].compression.level: unknown key");
    }

    @Test
    void routesInheritTopLevelCompressionAndMayOverrideIt() throws Exception {
        SluiceConfig c = ConfigLoader.parse("""
                compression: {enabled: true, min_size: 2KiB}
                routes:
                  - name: a
                    backends: [{host: a, port: 1}]
                  - name: b
                    compression: {enabled: false}
                    backends: [{host: a, port: 1}]
                  - name: c
                    compression: {types: [text/html]}
                    backends: [{host: a, port: 1}]
                """, "t");
        assertThat(c.routes().get(0).compression().enabled()).isTrue();
        assertThat(c.routes().get(0).compression().minSize()).isEqualTo(2048);
        assertThat(c.routes().get(1).compression().enabled()).isFalse();
        assertThat(c.routes().get(2).compression().types()).containsExactly("text/html");
        assertThat(errors("compression: {types: [nonsense]}"))
                .containsExactly("compression.types[0]: must be a media type such as \"text/html\" or \"text/*\","
                        + " got \"nonsense\"");
    }
}
