package io.sluice.core.health.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the configured command with {@code {host}}, {@code {port}} and {@code {address}} substituted; exit code
 * 0 within the timeout is healthy. Blocks the calling worker thread while the command runs, which is why
 * checks have their own bounded pool; a command still running at the timeout is killed
 * ({@code destroyForcibly}) so a hung script cannot pin a worker.
 */
public final class CustomCheck implements Check {

    @Override
    public CompletableFuture<CheckResult> run(CheckTarget target) {
        return CompletableFuture.completedFuture(runBlocking(target));
    }

    static List<String> command(CheckTarget target) {
        List<String> out = new ArrayList<>();
        for (String arg : target.config().command()) {
            out.add(arg.replace("{host}", target.host())
                    .replace("{port}", Integer.toString(target.port()))
                    .replace("{address}", target.address()));
        }
        return out;
    }

    private static CheckResult runBlocking(CheckTarget target) {
        List<String> command = command(target);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close(); // stdin at end of file: a check that reads it must not hang
        } catch (IOException | RuntimeException e) {
            return CheckResult.failed("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(target.config().timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return CheckResult.failed("command timed out after " + target.config().timeout().toMillis() + "ms");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return CheckResult.failed("interrupted");
        }
        int exit = process.exitValue();
        return exit == 0 ? CheckResult.ok("exit code 0") : CheckResult.failed("exit code " + exit);
    }
}
