package io.sluice.cli;

import picocli.CommandLine;

/** Entry point of the sluice jar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new SluiceCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
