package io.meshlog.tools.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.meshlog.node.LogConfig;
import java.nio.file.Path;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Logging of a long-running node: INFO and above into {@code <data-dir>/logs/meshlog.log}, rolled
 * daily and at {@code log.maxFileSize} (50 MB), gzipped, kept {@code log.maxHistory} days (14) and
 * {@code log.totalSizeCap} (500 MB) in all, so months of uptime never fill the disk; WARN and above
 * also to stderr, as for every command ({@code logback.xml}). Configured in code because the
 * directory and the settings are only known once the command line is parsed.
 */
public final class NodeLogging {

  private NodeLogging() {}

  public static void toDataDir(Path logsDir, LogConfig rolling) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J binding on the class path: leave its configuration alone
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> console = it.next();
      ThresholdFilter warn = new ThresholdFilter();
      warn.setLevel("WARN");
      warn.start();
      console.addFilter(warn);
    }

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n");
    encoder.start();

    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("FILE");
    file.setFile(logsDir.resolve("meshlog.log").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy =
        rollingPolicy(context, file, logsDir, rolling);
    policy.start();
    file.setRollingPolicy(policy);
    file.setEncoder(encoder);
    file.start();

    root.addAppender(file);
    root.setLevel(Level.INFO);
  }

  /** The rolling of {@code file} in {@code logsDir} as {@code rolling} says, not yet started. */
  static SizeAndTimeBasedRollingPolicy<ILoggingEvent> rollingPolicy(
      LoggerContext context,
      RollingFileAppender<ILoggingEvent> file,
      Path logsDir,
      LogConfig rolling) {
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
    policy.setContext(context);
    policy.setParent(file);
    policy.setFileNamePattern(logsDir.resolve("meshlog.%d{yyyy-MM-dd}.%i.log.gz").toString());
    policy.setMaxFileSize(new FileSize(rolling.maxFileBytes()));
    policy.setMaxHistory(rolling.maxHistoryDays());
    policy.setTotalSizeCap(new FileSize(rolling.totalSizeCapBytes()));
    return policy;
  }

  /** Flushes and closes the appenders; call last, after the node has stopped. */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
