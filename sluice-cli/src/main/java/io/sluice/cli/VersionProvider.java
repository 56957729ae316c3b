package io.sluice.cli;

import io.sluice.gateway.admin.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code sluice --version}: version, commit, build time and the Java runtime. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo info = BuildInfo.load();
        return new String[] {
            "sluice " + info.version() + " (commit " + info.commit() + ", built " + info.buildTime() + ")",
            "java " + info.java()
        };
    }
}
