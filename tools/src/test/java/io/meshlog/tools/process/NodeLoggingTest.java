package io.meshlog.tools.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import io.meshlog.node.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's log rolls as {@code log.*} says: at {@code log.maxFileSize} into gzipped files, and
 * never more than {@code log.totalSizeCap} of them. Run in a logger context of its own, so the
 * test's own logging is left alone.
 */
class NodeLoggingTest {

  @TempDir Path logs;

  @Test
  void shouldRollAtTheConfiguredSizeAndKeepNoMoreThanTheCap() throws Exception {
    LogConfig rolling = new LogConfig(64 << 10, 14, 256 << 10);
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.start();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setFile(logs.resolve("meshlog.log").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy =
        NodeLogging.rollingPolicy(context, file, logs, rolling);
    policy.start();
    file.setRollingPolicy(policy);
    file.setEncoder(encoder);
    file.start();
    Logger log = context.getLogger("meshlog.test");
    log.addAppender(file);

    String line = "x".repeat(1000);
    // 1.5 MB in all, far past the cap, over 300 ms at least: logback looks at the size every 60 ms.
    for (int i = 0; i < 1500; i++) {
      log.info("{} {}", i, line);
      if (i % 25 == 0) {
        Thread.sleep(5);
      }
    }
    context.stop(); // waits for the last compression
    assertThat(rolled()).hasSizeGreaterThanOrEqualTo(2);

    assertThat(Files.size(logs.resolve("meshlog.log"))).isLessThan(2 * rolling.maxFileBytes());
    long kept = 0;
    for (Path p : rolled()) {
      assertThat(p.getFileName().toString())
          .matches("meshlog\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz");
      kept += Files.size(p);
    }
    assertThat(kept)
        .as("rolled files kept in all")
        .isLessThanOrEqualTo(rolling.totalSizeCapBytes());
  }

  private List<Path> rolled() throws IOException {
    try (Stream<Path> files = Files.list(logs)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().toList();
    }
  }
}
