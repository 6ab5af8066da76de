package io.meshlog.tools.command;

import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.ExportException;
import io.meshlog.export.kafka.KafkaShipper;
import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.process.NodeConsoles;
import io.meshlog.tools.process.ShipperConsoles;
import io.meshlog.tools.process.ShutdownSignals;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog ship}: ships a node's journal (a running node's or a stopped one's) to a Kafka
 * topic, the same shipper the node runs with {@code export.kafka.bootstrapServers}; see
 * docs/export.md. Follows the journal until SIGTERM or SIGINT; {@code --until-end} exits at its
 * end. With {@code --jmx-port} and {@code --prometheus-port} its counters and lag are served as the
 * node serves them ({@code io.meshlog:type=Metrics,name=meshlog.export.*}, {@code
 * meshlog_export_*}, {@code /health}).
 *
 * <p>Exit codes: 0 shipped and committed; 1 another shipper holds the data directory, or the
 * journal does not say whose it is; 2 bad options; 3 the journal is unreadable.
 */
@Command(
    name = "ship",
    mixinStandardHelpOptions = true,
    description =
        "Ship a node's journal to a Kafka topic, every record once, resuming after the last record"
            + " Kafka acknowledged.")
public final class ShipCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(names = "--kafka", required = true, description = "Bootstrap servers, host:port[,…].")
  String kafka;

  @Option(names = "--kafka-topic", required = true, description = "The topic to ship to.")
  String topic;

  @Option(
      names = "--format",
      defaultValue = "binary",
      description = "Record value: binary or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--kafka-property",
      description = "A Kafka client property, key=value (repeatable; TLS, SASL, tuning).")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "--until-end", description = "Exit at the end of the journal.")
  boolean untilEnd;

  @Option(
      names = "--jmx-port",
      description = "Remote JMX port for the shipper's meters; needs --jmx-password-file.")
  Integer jmxPort;

  @Option(names = "--jmx-password-file", description = "jmxremote.password file for --jmx-port.")
  Path jmxPasswordFile;

  @Option(
      names = "--prometheus-port",
      description = "Prometheus scrape port for the shipper's meters and /health (0: any free).")
  Integer prometheusPort;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ExportConfig config;
    try {
      ExportConfig.Builder b =
          ExportConfig.builder()
              .bootstrapServers(kafka)
              .topic(topic)
              .format(ExportConfig.format("--format", format));
      properties.forEach(b::clientProperty);
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    JmxServerConfig consoles;
    try {
      consoles = consolesConfig();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    CounterSet<ExportCounter> counters = CounterSet.of(ExportCounter.class);
    KafkaShipper shipper;
    try {
      shipper = KafkaShipper.open(dataDir.path(), config, null, counters);
    } catch (ExportException e) {
      throw CommandFailure.failed(e.getMessage());
    } catch (JournalException e) {
      throw CommandFailure.unreadable(e.getMessage());
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              shipper.stop();
              awaitQuietly(done);
            },
            "meshlog-ship-shutdown");
    ShipperConsoles meters;
    try {
      meters = ShipperConsoles.start(consoles, counters, out);
    } catch (IllegalStateException | UncheckedIOException e) {
      shipper.close();
      throw CommandFailure.failed(e.getMessage()); // a console port that cannot be bound
    }
    if (!untilEnd) {
      ShutdownSignals.onTermOrInt(shipper::stop);
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try (shipper;
        meters) {
      long shipped = shipper.run(untilEnd);
      out.printf(
          "shipped %d records of node %s to %s topic %s; position: journal index %d%n",
          shipped, shipper.node(), kafka, topic, shipper.committedIndex());
      out.flush();
      return ExitCode.OK;
    } catch (JournalException e) {
      throw CommandFailure.unreadable(e.getMessage());
    } catch (ExportException e) {
      throw CommandFailure.failed(e.getMessage());
    } finally {
      done.countDown();
      if (!untilEnd) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down: the hook is running and waits for done.
        }
      }
    }
  }

  /** Remote JMX and Prometheus as the flags ask; both off by default. */
  private JmxServerConfig consolesConfig() {
    JmxServerConfig c = JmxServerConfig.defaults();
    if (jmxPort != null) {
      if (jmxPasswordFile == null) {
        throw new IllegalArgumentException("--jmx-port needs --jmx-password-file");
      }
      c = c.withJmx(jmxPort, jmxPasswordFile, null);
    }
    if (prometheusPort != null) {
      c = c.withPrometheus(prometheusPort, c.prometheusBindAddress());
    }
    return NodeConsoles.jmxConfig(c, dataDir.path().resolve("ship"));
  }

  private static void awaitQuietly(CountDownLatch done) {
    try {
      done.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
