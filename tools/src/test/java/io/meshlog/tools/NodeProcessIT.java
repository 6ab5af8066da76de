package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.VerifyReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class NodeProcessIT {

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process node(String name, String... extra) throws Exception {
    List<String> args = MeshlogProcess.nodeArgs(tmp.resolve(name), List.of());
    args.addAll(List.of(extra));
    Process p =
        MeshlogProcess.start(
            tmp.resolve(name + ".out"), tmp.resolve(name + ".err"), args.toArray(String[]::new));
    processes.add(p);
    return p;
  }

  private String listening(String name) throws Exception {
    Path out = tmp.resolve(name + ".out");
    return MeshlogProcess.listeningAddress(out, Duration.ofSeconds(60));
  }

  @Test
  void shouldPrintListeningAndStopCleanlyOnSigterm() throws Exception {
    Process a = node("a", "--chat-rate", "20");
    String address = listening("a");
    assertThat(address).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3Koo\\w+");
    Process b = node("b", "--peer", address);
    listening("b");
    // b receives a's chat traffic once the mesh forms.
    MeshlogProcess.until(Duration.ofSeconds(60), () -> projectedMessages(tmp.resolve("b")) > 0);

    a.destroy();
    b.destroy();
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(a.exitValue()).as(Files.readString(tmp.resolve("a.err"))).isZero();
    assertThat(b.exitValue()).as(Files.readString(tmp.resolve("b.err"))).isZero();

    for (String name : List.of("a", "b")) {
      Path dir = tmp.resolve(name);
      assertThat(lastType(dir)).isEqualTo(EventType.NODE_STOPPED);
      try (JournalReader reader = Journals.openReader(dir.resolve("journal"))) {
        VerifyReport report =
            Projections.verify(dir.resolve("projections"), ProjectionConfig.defaults(), reader);
        assertThat(report.identical()).as(report.toString()).isTrue();
      }
      assertThat(Files.readString(dir.resolve("logs/meshlog.log"), StandardCharsets.UTF_8))
          .contains("node stopped");
    }
    assertThat(deliveredWithLamport(tmp.resolve("b"))).isPositive();
  }

  @Test
  void shouldServeItsMBeansOverPasswordProtectedRemoteJmx() throws Exception {
    Path password = passwordFile();
    int port = freePort();
    Process a =
        node("a", "--jmx-port", Integer.toString(port), "--jmx-password-file", password.toString());
    String address = listening("a");
    String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    // the jmx line comes right after the listening line: wait for it, not for the first
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.readString(tmp.resolve("a.out")).contains("jmx "));
    assertThat(Files.readString(tmp.resolve("a.out"))).contains("jmx " + url);

    Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "s3cret"});
    try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url), env)) {
      Object peerId =
          c.getMBeanServerConnection()
              .getAttribute(new ObjectName("io.meshlog:type=Node"), "PeerId");
      assertThat(address).endsWith("/p2p/" + peerId);
      // A console's publish goes through the node's envelope like any other.
      c.getMBeanServerConnection()
          .invoke(
              new ObjectName("io.meshlog:type=Node"),
              "publishTestMessage",
              new Object[] {"chat", "hello from a console"},
              new String[] {String.class.getName(), String.class.getName()});
    }
    Map<String, Object> wrong = Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "guess"});
    assertThatThrownBy(() -> JMXConnectorFactory.connect(new JMXServiceURL(url), wrong).close())
        .isInstanceOf(SecurityException.class);

    a.destroy();
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(a.exitValue()).as(Files.readString(tmp.resolve("a.err"))).isZero();
    assertThat(publishedWithLamport(tmp.resolve("a"))).isEqualTo(1);
  }

  @Test
  void shouldTellItsHealthToMeshlogHealthByItsDataDirectory() throws Exception {
    Path password = passwordFile();
    int port = freePort();
    Process a =
        node(
            "a",
            "--jmx-port",
            Integer.toString(port),
            "--jmx-password-file",
            password.toString(),
            "--prometheus-port",
            "0");
    String address = listening("a");
    Path dir = tmp.resolve("a");
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.exists(dir.resolve("consoles.properties")));

    Health byJmx = health("--data-dir", dir.toString(), "--format", "json");
    assertThat(byJmx.code()).as(byJmx.out()).isZero();
    JsonNode answer = new ObjectMapper().readTree(byJmx.out());
    assertThat(answer.get("status").asText()).isEqualTo("healthy");
    assertThat(answer.get("via").asText()).isEqualTo("jmx");
    assertThat(address).endsWith("/p2p/" + answer.get("peerId").asText());
    Health byPort =
        health("--jmx", "127.0.0.1:" + port, "--jmx-password-file", password.toString());
    assertThat(byPort.code()).isZero();
    assertThat(byPort.out()).isEqualTo("healthy\n");

    String scrape = consoles(dir).getProperty("prometheus.url");
    HttpResponse<String> http =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(scrape + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(http.body()).startsWith("{\"status\":\"healthy\"");

    a.destroy();
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("consoles.properties")).as("removed at a clean stop").doesNotExist();
    Health stopped = health("--data-dir", dir.toString());
    assertThat(stopped.code()).isEqualTo(2);
    assertThat(stopped.out()).startsWith("failed: no node running in " + dir);
  }

  @Test
  void shouldReportAFullDiskAsFailedOverItsScrapeEndpointAndAKilledNodeAsGone() throws Exception {
    // More free space required than any disk has: the journal stops writing (STORAGE_FULL).
    Process b = node("b", "--prometheus-port", "0", "--set", "journal.minFreeBytes=100000g");
    listening("b");
    Path dir = tmp.resolve("b");
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.exists(dir.resolve("consoles.properties")));

    Health full = health("--data-dir", dir.toString());
    assertThat(full.code()).as(full.out()).isEqualTo(2);
    assertThat(full.out()).startsWith("failed: journal: STORAGE_FULL: disk almost full");

    b.destroyForcibly();
    assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Health gone = health("--data-dir", dir.toString(), "--format", "json");
    assertThat(gone.code()).isEqualTo(2);
    assertThat(new ObjectMapper().readTree(gone.out()).get("reason").asText())
        .contains("is gone (killed?)");
  }

  @Test
  void shouldSayDegradedWithTheReasonWhileItsKafkaShipperCannotReachTheBroker() throws Exception {
    // Nothing listens on the broker's port: every send fails and the journal keeps what waits.
    Process c =
        node(
            "c",
            "--chat-rate",
            "20",
            "--prometheus-port",
            "0",
            "--set",
            "export.kafka.bootstrapServers=127.0.0.1:" + freePort(),
            "--set",
            "export.kafka.client.max.block.ms=1000",
            "--set",
            "export.kafka.client.request.timeout.ms=1000",
            "--set",
            "export.kafka.client.delivery.timeout.ms=2000");
    listening("c");
    Path dir = tmp.resolve("c");
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.exists(dir.resolve("consoles.properties")));

    AtomicReference<Health> last = new AtomicReference<>();
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> {
          last.set(health("--data-dir", dir.toString()));
          return last.get().code() == 1;
        });
    assertThat(last.get().out()).startsWith("degraded: Kafka sends failed");
    assertThat(last.get().out()).contains("events wait in the journal");
    JsonNode json =
        new ObjectMapper().readTree(health("--data-dir", dir.toString(), "--format", "json").out());
    assertThat(json.get("status").asText()).isEqualTo("degraded");
    assertThat(json.get("via").asText()).isEqualTo("http");

    c.destroy();
    assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(c.exitValue()).as(Files.readString(tmp.resolve("c.err"))).isZero();
  }

  private record Health(int code, String out) {}

  private static Health health(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    String[] all = new String[args.length + 1];
    all[0] = "health";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Health(code, out.toString());
  }

  private static Properties consoles(Path dataDir) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(dataDir.resolve("consoles.properties"))) {
      p.load(r);
    }
    return p;
  }

  /** A JMX password file for user ops, mode 600 as the connector requires. */
  private Path passwordFile() throws Exception {
    Path password = tmp.resolve("jmx.password");
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, "ops s3cret\n");
    return password;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static long publishedWithLamport(Path dataDir) {
    long n = 0;
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        // Alone, the node holds it until a peer subscribes (MESSAGE_PENDING, docs/sync.md).
        boolean published =
            e.type() == EventType.PUBLISH_MESSAGE || e.type() == EventType.MESSAGE_PENDING;
        n += published && e.lamport() == 1 ? 1 : 0;
      }
    }
    return n;
  }

  private static long projectedMessages(Path dataDir) {
    try (Projections p = Projections.openReadOnly(dataDir.resolve("projections"))) {
      return p.topic("chat").map(t -> t.messages()).orElse(0L);
    } catch (RuntimeException e) {
      return 0; // not created yet
    }
  }

  private static EventType lastType(Path dataDir) {
    EventType last = null;
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        last = e.type();
      }
    }
    return last;
  }

  private static long deliveredWithLamport(Path dataDir) {
    long n = 0;
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.DELIVER_MESSAGE && e.lamport() > 0 && e.value() > 0) {
          n++;
        }
      }
    }
    return n;
  }
}
