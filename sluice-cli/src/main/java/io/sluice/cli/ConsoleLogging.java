package io.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Sluice's logging set-up, in code rather than a {@code logback.xml}: the application log (INFO and up) on stderr,
 * the access log ({@code sluice.access}) on stdout, Netty only from WARN.
 *
 * <p>Why code: parsing an XML configuration loads the JDK's XML parser and logback's Joran model, ~600 classes,
 * into every command, which a short {@code sluice fetch} pays for in RSS (its class-data-sharing archive grows by
 * ~3 MiB) and start-up time (docs/BENCHMARKS.md, "Transfers"). Found by logback through
 * {@code META-INF/services}; it steps aside, so logback's own lookup runs, when the user names a file with
 * {@code -Dlogback.configurationFile} or a {@code logback-test.xml} is on the class path (the tests').
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context, "STDERR", "System.err", "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n"));
        Logger access = context.getLogger("sluice.access");
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(console(context, "ACCESS", "System.out", "%d{ISO8601} %msg%n"));
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, String target,
                                                          String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
