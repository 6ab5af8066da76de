package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxTestSupport;
import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.MeshlogNotifications;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.factory.Hosts;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node, Peers, Topic and Gossipsub MBeans over a real node (journal, projections, host,
 * gossipsub) talking to a second real host on 127.0.0.1, driven from a remote console.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NodeBeansTest {

  private static final String[] STRING = {String.class.getName()};
  private static final String[] TWO_STRINGS = {String.class.getName(), String.class.getName()};

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final GossipsubConfig gossipConfig =
      GossipsubConfig.builder()
          .heartbeatInterval(Duration.ofMillis(100))
          .unsubscribeBackoff(Duration.ofSeconds(1))
          .build();

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

  @Test
  void shouldWatchAndDriveARealNodeFromAConsole() throws Exception {
    // The watched node: journal -> (projections, live mesh state); host and gossip journal into it.
    LiveMeshState mesh = new LiveMeshState();
    Projections projections =
        closing(Projections.open(dir.resolve("projections"), ProjectionConfig.defaults()));
    Journal journal =
        closing(
            Journals.open(
                JournalConfig.builder(dir.resolve("journal")).build(), List.of(projections, mesh)));
    Identity identity = Identity.generate();
    Host host = closing(Hosts.start(HostConfig.defaults(), identity, journal.sink()));
    Gossipsub gossip =
        closing(Gossipsubs.start(host, identity, gossipConfig, (from, m) -> {}, journal.sink()));

    // The other node: no journal.
    Identity otherId = Identity.generate();
    List<GossipMessage> otherReceived = new CopyOnWriteArrayList<>();
    Host other = closing(Hosts.start(HostConfig.defaults(), otherId, EventSink.NOOP));
    Gossipsub otherGossip =
        closing(
            Gossipsubs.start(
                other, otherId, gossipConfig, (from, m) -> otherReceived.add(m), EventSink.NOOP));

    JournalEventLogView eventLog = new JournalEventLogView(journal, () -> projections, null);
    MeshlogMBeans beans =
        closing(
            MeshlogMBeans.register(
                server,
                MeshlogViews.none()
                    .withEventLog(eventLog)
                    .withNode(
                        new HostNodeView(
                            host,
                            gossip,
                            mesh,
                            "meshlog/test",
                            Instant.now(),
                            eventLog::health,
                            Duration.ofSeconds(3)))
                    .withPeers(new HostPeersView(host, gossip, mesh, () -> projections))
                    .withTopics(new ProjectionTopicsView(() -> projections, mesh))
                    .withGossip(new GossipsubControl(gossip)),
                Duration.ofMillis(50)));
    mesh.notifyTo(beans.notifications());
    JmxServer jmx = closing(JmxServer.start(JmxTestSupport.remoteConfig(dir), server));
    JMXConnector client =
        closing(
            JmxTestSupport.connect(
                jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD));
    MBeanServerConnection c = client.getMBeanServerConnection();
    BlockingQueue<Notification> notes = new LinkedBlockingQueue<>();
    c.addNotificationListener(MeshlogMBeans.NODE, (n, h) -> notes.add(n), null, null);

    // Who the node is.
    String self = identity.peerId().toBase58();
    String peer = otherId.peerId().toBase58();
    assertThat(c.getAttribute(MeshlogMBeans.NODE, "PeerId")).isEqualTo(self);
    assertThat((String[]) c.getAttribute(MeshlogMBeans.NODE, "ListenAddresses"))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).startsWith("/ip4/127.0.0.1/tcp/"));
    assertThat(c.getAttribute(MeshlogMBeans.NODE, "Health")).isEqualTo("OK");
    assertThat(c.getAttribute(MeshlogMBeans.NODE, "SequencerReachable"))
        .as("no directory configured")
        .isEqualTo(false);

    // connect(multiaddr) dials; the peer shows in the table.
    String otherAddress = other.listenAddresses().get(0).toString();
    assertThat(c.invoke(MeshlogMBeans.NODE, "connect", new Object[] {otherAddress}, STRING))
        .isEqualTo(peer);
    Await.until(
        "agentOf(c, peer).startsWith(\"meshlog/\")", () -> agentOf(c, peer).startsWith("meshlog/"));
    CompositeData row = peers(c).get(new Object[] {peer});
    assertThat(row.get("direction")).isEqualTo("outbound");
    assertThat(row.get("connectionType")).isEqualTo("direct");
    assertThat(row.get("reachability")).isEqualTo("loopback");
    assertThat((String) row.get("remoteAddress")).startsWith("/ip4/127.0.0.1/tcp/");

    Notification connected = next(notes, MeshlogNotifications.PEER_CONNECTED);
    assertThat(((CompositeData) connected.getUserData()).get("peerId")).isEqualTo(peer);

    // ping(peerId) measures a round trip; the table then shows it.
    double rtt = (Double) c.invoke(MeshlogMBeans.NODE, "ping", new Object[] {peer}, STRING);
    assertThat(rtt).isPositive().isLessThan(5000);
    Await.until(
        "(Double) peers(c).get(new Object[] {peer}).get(\"latencyMillis\") > 0",
        () -> (Double) peers(c).get(new Object[] {peer}).get("latencyMillis") > 0);

    // Both join "chat": the topic bean shows the subscription and the mesh, a GRAFT is notified.
    gossip.subscribe("chat");
    otherGossip.subscribe("chat");
    ObjectName chat = MeshlogMBeans.topicName("chat");
    Await.until(
        "registered(c, chat) && intAttribute(c, chat, \"MeshPeers\") == 1",
        () -> registered(c, chat) && intAttribute(c, chat, "MeshPeers") == 1);
    assertThat(c.getAttribute(chat, "Subscribed")).isEqualTo(true);
    Notification graft = next(notes, MeshlogNotifications.GRAFT);
    assertThat(((CompositeData) graft.getUserData()).get("topic")).isEqualTo("chat");
    Await.until(
        "((String) peers(c).get(new Object[] {peer}).get(\"topics\")).contains(\"chat\")",
        () -> ((String) peers(c).get(new Object[] {peer}).get("topics")).contains("chat"));

    // publishTestMessage reaches the other node; the topic's message count follows.
    Object id =
        c.invoke(
            MeshlogMBeans.NODE,
            "publishTestMessage",
            new Object[] {"chat", "hello mesh"},
            TWO_STRINGS);
    assertThat((String) id).isNotEmpty();
    Await.until("otherReceived.size() == 1", () -> otherReceived.size() == 1);
    assertThat(new String(otherReceived.get(0).data(), StandardCharsets.UTF_8))
        .isEqualTo("hello mesh");
    Await.until(
        "longAttribute(c, chat, \"MessageCount\") == 1",
        () -> longAttribute(c, chat, "MessageCount") == 1);
    Await.until(
        "(Long) peers(c).get(new Object[] {peer}).get(\"messagesOut\") > 0",
        () -> (Long) peers(c).get(new Object[] {peer}).get("messagesOut") > 0);

    // Gossipsub parameters: a valid write takes effect, a bad one names the attribute.
    c.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("DHi", 14));
    assertThat(gossip.config().dHi()).isEqualTo(14);
    assertThatThrownBy(() -> c.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("DLo", 0)))
        .hasStackTraceContaining("DLo");
    assertThat(gossip.config().dLo()).isEqualTo(gossipConfig.dLo());

    // reconnectMesh leaves and rejoins: the mesh is pruned, then re-forms once the unsubscribe
    // backoff (1 s here) has passed; the console sees both.
    c.invoke(MeshlogMBeans.NODE, "reconnectMesh", null, null);
    Notification pruned = next(notes, MeshlogNotifications.PRUNE);
    assertThat(((CompositeData) pruned.getUserData()).get("peerId")).isEqualTo(peer);
    Notification regrafted = next(notes, MeshlogNotifications.GRAFT);
    assertThat(((CompositeData) regrafted.getUserData()).get("peerId")).isEqualTo(peer);
    Await.until(
        "Boolean.TRUE.equals(attributeOrNull(c, chat, \"Subscribed\")) && Integer.valueOf(1).equals(attributeOrNull(c, chat, \"MeshPeers\"))",
        () ->
            Boolean.TRUE.equals(attributeOrNull(c, chat, "Subscribed"))
                && Integer.valueOf(1).equals(attributeOrNull(c, chat, "MeshPeers")));
    Await.until(
        "otherGossip.meshPeers(\"chat\").join().contains(identity.peerId())",
        () -> otherGossip.meshPeers("chat").join().contains(identity.peerId()));

    // disconnect(peerId) closes the connection; the table empties, the console is told.
    c.invoke(MeshlogMBeans.NODE, "disconnect", new Object[] {peer}, STRING);
    Await.until("peers(c).isEmpty()", () -> peers(c).isEmpty());
    Notification gone = next(notes, MeshlogNotifications.PEER_DISCONNECTED);
    assertThat(((CompositeData) gone.getUserData()).get("peerId")).isEqualTo(peer);

    // Failures reach the console with their reason.
    assertThatThrownBy(
            () -> c.invoke(MeshlogMBeans.NODE, "connect", new Object[] {"/ip4/nonsense"}, STRING))
        .hasStackTraceContaining("nonsense");
    assertThatThrownBy(() -> c.invoke(MeshlogMBeans.NODE, "ping", new Object[] {peer}, STRING))
        .hasStackTraceContaining("ping " + peer);
  }

  private static Notification next(BlockingQueue<Notification> notes, String type)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Notification n = notes.poll(100, TimeUnit.MILLISECONDS);
      if (n != null && n.getType().equals(type)) {
        return n;
      }
    }
    throw new AssertionError("no " + type + " notification in 20 s");
  }

  private static TabularData peers(MBeanServerConnection c) {
    try {
      return (TabularData) c.getAttribute(MeshlogMBeans.PEERS, "Peers");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String agentOf(MBeanServerConnection c, String peer) {
    CompositeData row = peers(c).get(new Object[] {peer});
    return row == null ? "" : (String) row.get("agent");
  }

  private static Object attributeOrNull(
      MBeanServerConnection c, ObjectName name, String attribute) {
    try {
      return c.getAttribute(name, attribute);
    } catch (javax.management.InstanceNotFoundException e) {
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int intAttribute(MBeanServerConnection c, ObjectName name, String attribute) {
    try {
      return (Integer) c.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long longAttribute(MBeanServerConnection c, ObjectName name, String attribute) {
    try {
      return (Long) c.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean registered(MBeanServerConnection c, ObjectName name) {
    try {
      return c.isRegistered(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
