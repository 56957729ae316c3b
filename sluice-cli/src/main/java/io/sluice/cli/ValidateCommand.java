package io.sluice.cli;

import io.sluice.core.config.SluiceConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice validate -c FILE}: checks a configuration without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a configuration file and report every error at once (exit 0 when valid, 2 when not).")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Override
    public Integer call() {
        SluiceConfig loaded = Configs.load(config, spec.commandLine().getErr());
        if (loaded == null) {
            return Configs.INVALID;
        }
        long backends = loaded.routes().stream().mapToLong(r -> r.backends().size()).sum();
        spec.commandLine().getOut().printf("%s: ok (%d listener(s), %d route(s), %d backend(s))%n",
                config, loaded.server().listeners().size(), loaded.routes().size(), backends);
        return 0;
    }
}
