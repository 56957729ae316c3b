package io.sluice.cli;

import io.sluice.client.model.Job;
import io.sluice.client.model.JobSpec;
import io.sluice.transfer.export.ExportTarget;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice jobs ...}: transfer jobs in a running gateway (the daemon) through the control API (the SDK). */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Start, list, watch and cancel fetch and export jobs in a running gateway through its control API.",
                "Exit codes: 0 done, 1 the API refused or could not be reached (or a waited job failed), 2 usage error."},
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Start.class, JobsCommand.Show.class,
                JobsCommand.Cancel.class, JobsCommand.Wait.class})
final class JobsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void header(PrintWriter out) {
        out.printf("%-20s %-10s %7s %14s %14s %s%n", "ID", "STATE", "DONE", "BYTES", "SIZE", "URL");
    }

    static void row(PrintWriter out, Job j) {
        Job.Progress p = j.progress();
        String pct = p == null || p.size() <= 0 ? "-" : String.format("%.1f%%", 100.0 * p.done() / p.size());
        out.printf("%-20s %-10s %7s %14d %14s %s%n", j.id(), j.state(), pct, p == null ? 0 : p.done(),
                p == null || p.size() < 0 ? "?" : String.valueOf(p.size()), j.spec() == null ? "" : j.spec().url());
        if (j.error() != null) {
            out.println("  error: " + j.error());
        }
    }

    private static void print(AdminOptions admin, PrintWriter out, List<Job> jobs) {
        if (admin.json) {
            admin.printJson(out, jobs.size() == 1 ? jobs.get(0) : jobs);
            return;
        }
        header(out);
        jobs.forEach(j -> row(out, j));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every job, newest last.")
    static final class ListJobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(), (client, out) -> {
                List<Job> jobs = client.jobs();
                if (admin.json) {
                    admin.printJson(out, jobs);
                } else {
                    header(out);
                    jobs.forEach(j -> row(out, j));
                }
            });
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a fetch or export job in the daemon (the options of `sluice fetch`; PATH is on the daemon's machine).",
                    "With --compress or an http(s):// output it is an export: streamed in order, compressed on the fly;"
                            + " after a daemon restart it starts again from byte 0."})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL.")
        String url;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
                description = "Absolute path on the daemon's machine; an http(s):// URL uploads to it (an export job).")
        String output;

        @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Parallel connections, 1..16 (default 4).")
        Integer workers;

        @Option(names = "--chunk", paramLabel = "SIZE", description = "Chunk size 1MB..64MB (default: automatic).")
        String chunk;

        @Option(names = "--limit", paramLabel = "RATE", description = "Bandwidth limit, e.g. 100Mbps or 10MB/s.")
        String limit;

        @Option(names = "--checksum", paramLabel = "ALGO:HEX", description = "sha256:HEX or sha512:HEX.")
        String checksum;

        @Option(names = "--fast-resume", description = "Trust the journal without re-hashing on resume.")
        Boolean fastResume;

        @Option(names = "--restart-on-change", description = "Start over when the remote file changed.")
        Boolean restartOnChange;

        @Option(names = "--compress", paramLabel = "FORMAT",
                description = "Export job: compress on the fly (none, gzip:1..9, zstd:1..19) and write PATH or upload to URL.")
        String compress;

        @Option(names = "--upload-method", paramLabel = "METHOD", description = "PUT or POST, for -o http(s)://... (default PUT).")
        String uploadMethod;

        @Option(names = "--buffer", paramLabel = "SIZE", description = "Export job: most bytes held for reordering (default: workers x chunk).")
        String buffer;

        @Override
        public Integer call() {
            // The daemon's own rule for a spec without a type (jobs.JobSpec#kind), stated on the wire.
            boolean export = compress != null || ExportTarget.isUrl(output.strip());
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(), (client, out) -> print(admin, out,
                    List.of(client.createJob(new JobSpec(export ? "export" : "fetch", url, output, workers, chunk, limit,
                            checksum, fastResume, restartOnChange, compress, uploadMethod, buffer)))));
        }
    }

    /** The options every one-job subcommand takes: where the admin API is, and the job's id. */
    abstract static class OneJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID")
        String id;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One job and its progress.")
    static final class Show extends OneJob {
        @Override
        public Integer call() {
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    (client, out) -> print(admin, out, List.of(client.job(id))));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a queued or running job (its partial file and journal stay); forget a finished one.")
    static final class Cancel extends OneJob {
        @Override
        public Integer call() {
            return admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    (client, out) -> print(admin, out, List.of(client.cancelJob(id))));
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Poll a job until it is finished; exit 0 if it succeeded, 1 otherwise.")
    static final class Wait extends OneJob {

        @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000", description = "Polling interval (default ${DEFAULT-VALUE}).")
        long intervalMillis;

        @Override
        public Integer call() {
            Job[] last = new Job[1];
            int code = admin.run(spec.commandLine().getOut(), spec.commandLine().getErr(), (client, out) -> {
                Job job = client.job(id);
                while (!job.finished()) {
                    try {
                        Thread.sleep(Math.max(10, intervalMillis));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    job = client.job(id);
                }
                last[0] = job;
                print(admin, out, List.of(job));
            });
            return code != 0 ? code : last[0] != null && "succeeded".equals(last[0].state()) ? 0 : AdminOptions.FAILED;
        }
    }
}
