package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.projection.ProjectionCounter;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.adapter.NodeMeters;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.NodeCounter;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.TransportCounter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every counter that any meshlog module declares reaches an operator: over a real node connected to
 * a second one, each descriptor found on the class path is a JMX meter MBean and a Prometheus
 * series named after it. A counter declared later and bound nowhere fails here.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NodeMetersTest {

  private static final String TOPIC = "chat";

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void shouldExportEveryDeclaredCounterOfARunningNode() throws Exception {
    MeshlogNode node = start(dir.resolve("a"), List.of());
    MeshlogNode peer =
        start(dir.resolve("b"), List.of(node.listenAddresses().get(0) + "/p2p/" + node.peerId()));
    JmxServerConfig config = JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK);
    MeshlogJmx jmx = closing(MeshlogJmx.start(server, config, MeshlogViews.none()));
    NodeMeters.bind(jmx.metrics(), node);
    Await.until(
        "a connection opened", () -> node.host().counter(TransportCounter.CONNECTIONS_OPENED) > 0);
    Await.until("an RPC received", () -> node.gossipsub().counter(GossipCounter.RPC_RECEIVED) > 0);
    assertThat(peer.peerId()).isNotEqualTo(node.peerId());

    List<CounterDescriptor> declared = declaredOnClassPath();
    String scrape = jmx.metrics().scrape();
    for (CounterDescriptor d : declared) {
      ObjectName name = new ObjectName("io.meshlog:type=Metrics,name=" + d.meterName());
      assertThat(server.isRegistered(name)).as("JMX meter %s of %s", d.meterName(), d).isTrue();
      assertThat(scrape)
          .as("Prometheus series of %s (%s)", d.meterName(), d)
          .containsPattern(series(d));
    }
    assertThat(jmx.metrics().bound()).containsExactlyInAnyOrderElementsOf(declared);

    // The values are the node's, not zeros: the transport's and the router's counters move.
    long opened = node.host().counter(TransportCounter.CONNECTIONS_OPENED);
    ObjectName openedMeter =
        new ObjectName("io.meshlog:type=Metrics,name=meshlog.transport.connections.opened");
    assertThat(((Number) server.getAttribute(openedMeter, "Value")).longValue())
        .isGreaterThanOrEqualTo(opened);
    assertThat(scrape).containsPattern("(?m)^meshlog_gossip_rpcs_received_total [1-9]");
    assertThat(scrape).containsPattern("(?m)^meshlog_transport_read_bytes_total [1-9]");
    assertThat(scrape).containsPattern("(?m)^meshlog_journal_appended_index [0-9]");

    // Binding a node's counters twice is refused, naming the clash.
    assertThatThrownBy(() -> NodeMeters.bind(jmx.metrics(), node))
        .hasMessageContaining("is taken by");
  }

  @Test
  void shouldDeclareEveryModulesCountersWithUniqueIdsInTheirRanges() throws Exception {
    List<CounterDescriptor> declared = declaredOnClassPath();
    CounterSet.check(declared);
    assertThat(declared)
        .contains(JournalCounter.EVENTS_APPENDED, ProjectionCounter.APPLIED_INDEX)
        .contains(NodeCounter.DIALS_STARTED, TransportCounter.BYTES_READ)
        .contains(GossipCounter.RPC_RECEIVED, JmxCounter.SCRAPES)
        .hasSizeGreaterThanOrEqualTo(13 + 9 + 6 + 17 + 27 + 5);
  }

  @Test
  void shouldListEveryDeclaredCounterInTheJmxDocs() throws Exception {
    String docs = Files.readString(Paths.get("..", "docs", "jmx.md"));
    for (CounterDescriptor d : declaredOnClassPath()) {
      String row = "| " + d.id() + " | `" + d.meterName() + "` | `";
      assertThat(docs).as("docs/jmx.md row of %s", d.meterName()).contains(row);
      assertThat(docs)
          .contains("`" + prometheusName(d) + "` | " + d.kind().name().toLowerCase(Locale.ROOT));
    }
  }

  /** {@code meshlog.gossip.rpcs.received} → {@code meshlog_gossip_rpcs_received_total}. */
  private static Pattern series(CounterDescriptor d) {
    return Pattern.compile("(?m)^" + Pattern.quote(prometheusName(d)) + "[ {]");
  }

  private static String prometheusName(CounterDescriptor d) {
    String name = d.meterName().replace('.', '_');
    return d.kind() == CounterKind.COUNTER ? name + "_total" : name;
  }

  /**
   * Every enum on the test class path (meshlog's own classes, as directories or jars) that
   * implements {@link CounterDescriptor}: a new module's enum is found without editing this test.
   */
  private static List<CounterDescriptor> declaredOnClassPath() throws IOException {
    List<String> classNames = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Paths.get(entry);
      if (Files.isDirectory(path.resolve("io/meshlog"))) {
        try (Stream<Path> files = Files.walk(path.resolve("io/meshlog"))) {
          files
              .map(p -> path.relativize(p).toString().replace(File.separatorChar, '/'))
              .filter(p -> p.endsWith(".class"))
              .forEach(classNames::add);
        }
      } else if (entry.endsWith(".jar") && path.getFileName().toString().startsWith("meshlog-")) {
        try (JarFile jar = new JarFile(entry)) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith("io/meshlog/") && n.endsWith(".class")) {
              classNames.add(n);
            }
          }
        }
      }
    }
    List<CounterDescriptor> declared = new ArrayList<>();
    for (String file : classNames) {
      if (file.contains("$") && !file.matches(".*\\$[A-Z]\\w*\\.class")) {
        continue;
      }
      String className = file.substring(0, file.length() - ".class".length()).replace('/', '.');
      Class<?> type;
      try {
        type = Class.forName(className, false, NodeMetersTest.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        continue;
      }
      if (type.isEnum()
          && CounterDescriptor.class.isAssignableFrom(type)
          && !type.getName().contains("Test")) {
        for (Object c : type.getEnumConstants()) {
          if (!declared.contains(c)) {
            declared.add((CounterDescriptor) c);
          }
        }
      }
    }
    return declared;
  }

  private MeshlogNode start(Path data, List<String> peers) {
    NodeConfig config =
        NodeConfig.builder(data)
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .topics(List.of(TOPIC))
            .peers(peers)
            .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .build();
    return closing(MeshlogNode.start(config));
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }
}
