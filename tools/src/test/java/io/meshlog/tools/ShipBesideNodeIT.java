package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.export.testing.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog ship} as an operator runs it beside a node, in a process of its own with {@code
 * --jmx-port} and {@code --prometheus-port}, while the broker is down and after it comes back: the
 * lag is there in JMX and in the scrape, {@code /health} says why it is degraded, a second shipper
 * on the same data directory is refused with a clear message, and SIGTERM ends it cleanly.
 */
@Timeout(180)
class ShipBesideNodeIT {
  private static final String TOPIC = "fleet";
  private static final int EVENTS = 300;
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void shouldShowTheLagOfAShipperBesideTheNodeAndRefuseASecondOne() throws Exception {
    KafkaTestBroker broker = KafkaTestBroker.start(tmp.resolve("kafka"));
    closing.add(broker);
    broker.createTopic(TOPIC, 1);
    Path dataDir = tmp.resolve("node");
    long records = writeJournal(dataDir);
    broker.kill();

    Path password = tmp.resolve("jmx.password");
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, "ops s3cret\n");
    Path out = tmp.resolve("ship.out");
    Process ship =
        MeshlogProcess.start(
            out,
            tmp.resolve("ship.err"),
            "ship",
            "--data-dir",
            dataDir.toString(),
            "--kafka",
            broker.bootstrap(),
            "--kafka-topic",
            TOPIC,
            "--jmx-port",
            Integer.toString(freePort()),
            "--jmx-password-file",
            password.toString(),
            "--prometheus-port",
            "0",
            "--kafka-property",
            "delivery.timeout.ms=3000",
            "--kafka-property",
            "request.timeout.ms=1000",
            "--kafka-property",
            "max.block.ms=1000");
    closing.add(ship::destroyForcibly);
    String metrics = line(out, "prometheus ");
    String health = metrics.replace("/metrics", "/health");
    JMXConnector jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL(line(out, "jmx ")),
            Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "s3cret"}));
    closing.add(jmx);
    MBeanServerConnection mbeans = jmx.getMBeanServerConnection();

    // The broker is down: every record waits, and the consoles say so.
    Await.until(
        "JMX shows every record waiting",
        LIMIT,
        () -> meter(mbeans, "meshlog.export.lag.events") == records);
    Await.until(
        "JMX shows sends failing", LIMIT, () -> meter(mbeans, "meshlog.export.send.failures") > 0);
    assertThat(meter(mbeans, "meshlog.export.events.shipped")).isZero();
    assertThat(scrape(get(metrics).body(), "meshlog_export_lag_events")).isEqualTo(records);
    assertThat(scrape(get(metrics).body(), "meshlog_export_lag_seconds")).isPositive();
    HttpResponse<String> degraded = get(health);
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.body()).contains("\"degraded\"").contains("Kafka sends failed");

    // A second shipper on the same directory is refused, naming why.
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    int second =
        cl.execute(
            "ship",
            "--data-dir",
            dataDir.toString(),
            "--kafka",
            broker.bootstrap(),
            "--kafka-topic",
            TOPIC,
            "--until-end");
    assertThat(second).isEqualTo(1);
    assertThat(err.toString()).contains("meshlog ship:").contains("another shipper");

    // The broker is back: everything goes out, the lag falls to zero, health recovers.
    broker.start();
    Await.until(
        "everything acknowledged",
        LIMIT,
        () -> meter(mbeans, "meshlog.export.events.shipped") == records);
    Await.until("no lag", LIMIT, () -> meter(mbeans, "meshlog.export.lag.events") == 0);
    assertThat(scrape(get(metrics).body(), "meshlog_export_lag_events")).isZero();
    Await.until("healthy again", LIMIT, () -> get(health).body().contains("\"healthy\""));

    closing.remove(jmx);
    jmx.close(); // before the shipper goes: closing tells the server
    ship.destroy(); // SIGTERM: a clean stop
    assertThat(ship.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ship.exitValue()).isZero();
    assertThat(Files.readString(out)).contains("shipped " + records + " records");
  }

  /** A stopped node's journal: NODE_STARTED, a JOIN, published messages, NODE_STOPPED. */
  private static long writeJournal(Path dataDir) {
    byte[] self = new byte[38];
    self[1] = 36;
    self[2] = 8;
    self[3] = 1;
    self[4] = 18;
    self[5] = 32;
    for (int i = 6; i < self.length; i++) {
      self[i] = (byte) (i * 11);
    }
    long t0 = 1_763_750_000_000_000_000L;
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(dataDir.resolve("journal"))
                .ringSize(64)
                .preallocateBytes(0)
                .build(),
            List.of())) {
      journal.sink().publish(new Event().type(EventType.NODE_STARTED).timeNanos(t0).peer(self));
      journal.sink().publish(new Event().type(EventType.JOIN).timeNanos(t0 + 1).topic("chat"));
      for (int n = 0; n < EVENTS; n++) {
        journal
            .sink()
            .publish(
                new Event()
                    .type(EventType.PUBLISH_MESSAGE)
                    .timeNanos(t0 + 1_000_000L * (n + 2))
                    .topic("chat")
                    .messageId(new byte[] {1, (byte) (n >> 8), (byte) n})
                    .origin(self)
                    .originSeqno(n)
                    .lamport(n)
                    .data(new byte[] {2})
                    .size(1));
      }
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.NODE_STOPPED)
                  .timeNanos(t0 + 1_000_000L * (EVENTS + 3))
                  .text("close"));
    }
    return EVENTS + 3;
  }

  private static long meter(MBeanServerConnection mbeans, String name) throws Exception {
    return ((Number)
            mbeans.getAttribute(new ObjectName("io.meshlog:type=Metrics,name=" + name), "Value"))
        .longValue();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static double scrape(String body, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
    assertThat(m.find()).as("series %s in the scrape", series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The rest of the first line of {@code out} that starts with {@code prefix}, once printed. */
  private static String line(Path out, String prefix) throws Exception {
    Await.until(
        "the shipper prints " + prefix.trim(),
        LIMIT,
        () ->
            Files.exists(out) && Files.readString(out).lines().anyMatch(l -> l.startsWith(prefix)));
    return Files.readString(out)
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length())
        .trim();
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
