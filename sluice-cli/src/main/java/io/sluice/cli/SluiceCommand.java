package io.sluice.cli;

import io.sluice.bench.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top-level {@code sluice} command; each job is a subcommand. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sluice: a high-performance traffic engine for the JVM (HTTP/1.1 + HTTP/2 reverse proxy and load balancer).",
        subcommands = {DemoCommand.class, ServeCommand.class, ValidateCommand.class, BenchCommand.class,
                FetchCommand.class, BackendsCommand.class, JobsCommand.class, HelpCommand.class},
        footer = {"", "Try: sluice demo   (gateway on 127.0.0.1:8080 with three embedded backends)"})
final class SluiceCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
