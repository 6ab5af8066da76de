package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxTestSupport;
import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Directory MBean of a real directory node (journal on disk, host on 127.0.0.1) that two real
 * nodes register with, read and driven from a remote console.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DirectoryBeanTest {

  private static final String NODE_NAME = "directory-bean-test";
  private static final String[] STRING = {String.class.getName()};
  private static final String[] TWO_STRINGS = {String.class.getName(), String.class.getName()};

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName directoryName = MeshlogMBeans.objectName("Directory", NODE_NAME);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  /** Every node here shares 127.0.0.1: no IP colocation penalty (see DirectoryMeshTest). */
  private Map<String, String> settings(String name) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.requestTimeout", "5s");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    return p;
  }

  private MeshlogNode startPeer(String name, String topics, MeshlogNode directory) {
    Map<String, String> p = settings(name);
    p.put("node.topics", topics);
    p.put("node.directories", directory.listenAddresses().get(0).toString());
    return closing(MeshlogNode.start(NodeConfig.fromProperties(p)));
  }

  @Test
  void shouldShowAndDriveTheRegistrationsOfARealDirectoryFromAConsole() throws Exception {
    Map<String, String> p = settings("directory");
    p.put("node.role", "directory");
    MeshlogNode directory = closing(MeshlogNode.start(NodeConfig.fromProperties(p)));
    closing(
        MeshlogMBeans.register(
            server,
            MeshlogViews.none()
                .withDirectory(new DirectoryServiceView(directory.directory().orElseThrow())),
            Duration.ofMillis(100),
            NODE_NAME));
    JmxServer jmx = closing(JmxServer.start(JmxTestSupport.remoteConfig(dir), server));
    MBeanServerConnection c =
        closing(
                JmxTestSupport.connect(
                    jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD))
            .getMBeanServerConnection();

    assertThat(c.getAttribute(directoryName, "RegistrationCount")).isEqualTo(0);
    assertThat(c.getAttribute(directoryName, "TopicCount")).isEqualTo(0);
    assertThat(registrations(c).isEmpty()).isTrue();

    Instant before = Instant.now();
    MeshlogNode alice = startPeer("alice", "chat,news", directory);
    MeshlogNode bob = startPeer("bob", "chat", directory);
    String a = alice.peerId().toBase58();
    String b = bob.peerId().toBase58();

    Await.until(
        "three registrations at the directory's MBean",
        Duration.ofSeconds(30),
        () -> (Integer) c.getAttribute(directoryName, "RegistrationCount") == 3);
    assertThat(c.getAttribute(directoryName, "TopicCount")).isEqualTo(2);
    assertThat(c.getAttribute(directoryName, "Topics")).isEqualTo("chat,news");

    // The table: a row per (topic, peer), with the addresses of the signed record and the times.
    TabularData all = registrations(c);
    assertThat(all.size()).isEqualTo(3);
    assertThat(all.containsKey(new Object[] {"news", a})).isTrue();
    assertThat(all.containsKey(new Object[] {"news", b})).isFalse();
    CompositeData row = all.get(new Object[] {"chat", b});
    assertThat(row.get("peerId")).isEqualTo(b);
    assertThat(row.get("topic")).isEqualTo("chat");
    assertThat(((String) row.get("addresses")).split(","))
        .contains(bob.listenAddresses().get(0).toString().replaceFirst("/p2p/.*$", ""));
    Instant registeredAt = Instant.parse((String) row.get("registeredAt"));
    Instant expiresAt = Instant.parse((String) row.get("expiresAt"));
    assertThat(registeredAt).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    // The nodes ask for the default TTL (discovery.ttl = 2h) and the directory grants it.
    assertThat(Duration.between(registeredAt, expiresAt)).isEqualTo(Duration.ofHours(2));

    TabularData news =
        (TabularData) c.invoke(directoryName, "registrations", new Object[] {"news"}, STRING);
    assertThat(news.size()).isEqualTo(1);
    assertThat(news.containsKey(new Object[] {"news", a})).isTrue();

    // discover(topic) answers what a DISCOVER would: both chat peers.
    TabularData chat = discover(c, "chat");
    assertThat(chat.size()).isEqualTo(2);
    assertThat(chat.containsKey(new Object[] {"chat", a})).isTrue();
    assertThat(chat.containsKey(new Object[] {"chat", b})).isTrue();

    // unregister(peer, topic) removes one row; DISCOVER no longer hands bob out in chat.
    assertThat(c.invoke(directoryName, "unregister", new Object[] {b, "chat"}, TWO_STRINGS))
        .isEqualTo(true);
    assertThat(c.getAttribute(directoryName, "RegistrationCount")).isEqualTo(2);
    assertThat(discover(c, "chat").containsKey(new Object[] {"chat", b})).isFalse();
    assertThat(discover(c, "chat").containsKey(new Object[] {"chat", a})).isTrue();
    assertThat(directory.directory().orElseThrow().discover("chat"))
        .extracting(r -> r.peer().toBase58())
        .containsExactly(a);
    assertThat(c.invoke(directoryName, "unregister", new Object[] {b, "chat"}, TWO_STRINGS))
        .isEqualTo(false);

    // Bad input gets a reason a console can read, and changes nothing.
    assertThatThrownBy(
            () ->
                c.invoke(
                    directoryName, "unregister", new Object[] {"not-a-peer", "chat"}, TWO_STRINGS))
        .hasStackTraceContaining("invalid peerId = not-a-peer");
    assertThatThrownBy(() -> c.invoke(directoryName, "discover", new Object[] {""}, STRING))
        .hasStackTraceContaining("topic is empty");
    assertThat(c.getAttribute(directoryName, "RegistrationCount")).isEqualTo(2);
  }

  @Test
  void shouldRegisterNoDirectoryBeanWithoutADirectoryView() {
    try (MeshlogMBeans beans =
        MeshlogMBeans.register(server, MeshlogViews.none(), Duration.ofSeconds(1), NODE_NAME)) {
      assertThat(beans.names()).doesNotContain(directoryName);
      assertThat(server.isRegistered(directoryName)).isFalse();
    }
  }

  private TabularData registrations(MBeanServerConnection c) throws Exception {
    return (TabularData) c.getAttribute(directoryName, "Registrations");
  }

  private TabularData discover(MBeanServerConnection c, String topic) throws Exception {
    return (TabularData) c.invoke(directoryName, "discover", new Object[] {topic}, STRING);
  }
}
