package io.meshlog.export.testing;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.eventlog.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker for tests: KRaft mode (broker and controller in one process), from the Maven
 * Central artifacts on this JVM's class path, in a child JVM on 127.0.0.1 with its log directory
 * under a test's temp dir. {@link #kill()} is SIGKILL; {@link #start()} again restarts it on the
 * same ports and log directory.
 */
public final class KafkaTestBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final Path config;
  private Process process;
  private int starts;

  private KafkaTestBroker(Path dir) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.controllerPort = freePort();
    Files.createDirectories(dir);
    this.config = dir.resolve("server.properties");
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", dir.resolve("logs").toString());
    p.setProperty("num.partitions", "3");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("log.flush.interval.messages", "9223372036854775807");
    try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      p.store(w, "meshlog test broker");
    }
  }

  /** Formats a log directory under {@code dir} and starts the broker; returns when it serves. */
  public static KafkaTestBroker start(Path dir) throws Exception {
    KafkaTestBroker b = new KafkaTestBroker(dir);
    b.run(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            clusterId(),
            "-c",
            b.config.toString(),
            "--ignore-formatted"),
        "format.log",
        true);
    b.start();
    return b;
  }

  /** host:port for clients. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** (Re)starts the broker process and waits until a client can list topics. */
  public void start() throws Exception {
    if (process != null && process.isAlive()) {
      return;
    }
    starts++;
    process = run(List.of("kafka.Kafka", config.toString()), "broker-" + starts + ".log", false);
    try {
      Await.until(
          "the Kafka broker at " + bootstrap() + " serves",
          Duration.ofSeconds(180),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("broker exited " + process.exitValue());
            }
            return listening() && serves();
          });
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "; the broker's log ends:\n" + logTail(), e);
    }
  }

  /** Creates a topic with {@code partitions} partitions, one replica. */
  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** SIGKILL: the broker dies without a clean shutdown. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private String logTail() {
    try {
      String text = Files.readString(dir.resolve(log()));
      return text.substring(Math.max(0, text.length() - 6000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String log() {
    return "broker-" + starts + ".log";
  }

  private Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean serves() {
    try (Admin admin = admin()) {
      admin.listTopics().names().get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private Process run(List<String> mainAndArgs, String logName, boolean wait) throws Exception {
    List<String> cmd =
        ChildJvm.command(
            List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"),
            mainAndArgs.get(0),
            mainAndArgs.subList(1, mainAndArgs.size()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(logName).toFile())
            .start();
    if (wait) {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(mainAndArgs.get(0) + " did not finish, see " + logName);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            mainAndArgs.get(0)
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(dir.resolve(logName)));
      }
    }
    return p;
  }

  /**
   * A random cluster id in Kafka's form (16 bytes, URL-safe base64). One in 64 of those begins with
   * {@code -}, which the storage tool's argument parser reads as an option; Kafka's own generator
   * draws again in that case, and so does this one.
   */
  static String clusterId() {
    while (true) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the broker; the temp dir goes with the test. */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
