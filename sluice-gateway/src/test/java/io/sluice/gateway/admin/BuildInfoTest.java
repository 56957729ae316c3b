package io.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void readsGitPropertiesFromTheGivenResource() {
        BuildInfo info = BuildInfo.load("/io/sluice/gateway/admin/git-test.properties");

        assertThat(info.version()).isEqualTo("1.2.3-test");
        assertThat(info.commit()).isEqualTo("abc1234");
        assertThat(info.commitFull()).isEqualTo("abc1234def5678abc1234def5678abc1234def56");
        assertThat(info.buildTime()).isEqualTo("2025-01-02T03:04:05+0000");
    }

    @Test
    void fallsBackToUnknownWhenTheResourceIsMissing() {
        BuildInfo info = BuildInfo.load("/io/sluice/gateway/admin/does-not-exist.properties");

        assertThat(info.version()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.commit()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.commitFull()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.buildTime()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.java()).isEqualTo(BuildInfo.javaRuntime());
    }

    @Test
    void blankValuesCountAsUnknown() {
        Properties props = new Properties();
        props.setProperty("git.build.version", "0.1.0");
        props.setProperty("git.commit.id.abbrev", "  ");

        BuildInfo info = BuildInfo.fromProperties(props);

        assertThat(info.version()).isEqualTo("0.1.0");
        assertThat(info.commit()).isEqualTo(BuildInfo.UNKNOWN);
    }

    @Test
    void javaRuntimeNamesVersionAndVendor() {
        assertThat(BuildInfo.javaRuntime())
                .startsWith(Runtime.version().toString())
                .contains(System.getProperty("java.vendor"));
    }
}
