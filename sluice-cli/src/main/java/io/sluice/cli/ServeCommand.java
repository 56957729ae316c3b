package io.sluice.cli;

import io.sluice.core.config.SluiceConfig;
import io.sluice.gateway.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice serve -c FILE}: runs a real configuration until SIGTERM or SIGINT, then drains. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the gateway with a configuration file.",
                "SIGTERM/SIGINT stop accepting, let in-flight requests finish (up to server.drain_timeout), then exit.",
                "SIGHUP reloads the file (routes, backends, limits) without dropping a connection."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        SluiceConfig loaded = Configs.load(config, spec.commandLine().getErr());
        if (loaded == null) {
            return Configs.INVALID;
        }
        Gateway gateway = Gateway.start(loaded, config);
        Reloads.onSighup(gateway, spec.commandLine().getErr());
        return Serving.runUntilSignalled(gateway, () -> {});
    }
}
