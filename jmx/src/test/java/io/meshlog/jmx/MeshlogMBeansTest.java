package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.TopicMXBean;
import io.meshlog.jmx.view.GossipParams;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.TopicInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The MBeans as a remote console sees them: through a real RMI connector with a password. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeshlogMBeansTest {

  private static final Duration INTERVAL = Duration.ofMillis(50);

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final FakeViews views = new FakeViews();
  private JmxServer jmx;
  private MeshlogMBeans beans;
  private JMXConnector client;
  private MBeanServerConnection remote;

  @BeforeEach
  void start() throws Exception {
    views.topics.put(
        "chat",
        new TopicInfo(
            "chat", true, 3, 42, 1_700_000_000_000L, 4.5, 9.5, 19.0, 31.0, 40.5, 2, 1, 4200));
    views.peers =
        List.of(
            new PeerInfo(
                "12D3KooWA",
                "outbound",
                "direct",
                "/ip4/127.0.0.1/tcp/4002",
                1.5,
                "public",
                "js-libp2p/3",
                12.5,
                List.of("chat", "news"),
                10,
                11,
                1000,
                1100,
                5,
                "since 2026-12-02T01:30:00Z, score -2,560 = P6 -2,560",
                2,
                "",
                "config"),
            new PeerInfo(
                "12D3KooWB",
                "inbound",
                "relayed",
                "/ip4/127.0.0.1/tcp/4003",
                -1,
                "unknown",
                "",
                0,
                List.of(),
                0,
                0,
                0,
                0,
                ""));
    beans = MeshlogMBeans.register(server, views.views(), INTERVAL);
    jmx = JmxServer.start(JmxTestSupport.remoteConfig(dir), server);
    client =
        JmxTestSupport.connect(
            jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD);
    remote = client.getMBeanServerConnection();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (jmx != null) {
      jmx.close();
    }
    if (beans != null) {
      beans.unregisterAll();
    }
    assertThat(server.queryNames(new ObjectName("io.meshlog:type=Node,*"), null)).isEmpty();
  }

  @Test
  void shouldReadEveryAttributeOfEveryBeanRemotely() throws Exception {
    List<ObjectName> names =
        List.of(
            MeshlogMBeans.EVENT_LOG,
            MeshlogMBeans.NODE,
            MeshlogMBeans.PEERS,
            MeshlogMBeans.GOSSIPSUB,
            MeshlogMBeans.topicName("chat"));
    for (ObjectName name : names) {
      for (MBeanAttributeInfo a : remote.getMBeanInfo(name).getAttributes()) {
        assertThat(remote.getAttribute(name, a.getName())).as(name + " " + a.getName()).isNotNull();
      }
    }
    assertThat(remote.getAttribute(MeshlogMBeans.NODE, "PeerId")).isEqualTo("12D3KooWSelf");
    assertThat((String[]) remote.getAttribute(MeshlogMBeans.NODE, "ListenAddresses"))
        .containsExactly("/ip4/127.0.0.1/tcp/4001");
    assertThat((Long) remote.getAttribute(MeshlogMBeans.NODE, "UptimeSeconds"))
        .isBetween(90L, 120L);
    assertThat(remote.getAttribute(MeshlogMBeans.NODE, "Health")).isEqualTo("OK");
    assertThat(remote.getAttribute(MeshlogMBeans.NODE, "HealthState")).isEqualTo(0);
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "JournalSizeBytes")).isEqualTo(4096L);
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "RingRemainingCapacity"))
        .isEqualTo(1024L);
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "BackpressureStalls")).isEqualTo(3L);
    assertThat(remote.getAttribute(MeshlogMBeans.GOSSIPSUB, "D")).isEqualTo(6);
    assertThat(remote.getAttribute(MeshlogMBeans.GOSSIPSUB, "GraylistThreshold")).isEqualTo(-80.0);

    ObjectName chat = MeshlogMBeans.topicName("chat");
    assertThat(remote.getAttribute(chat, "MeshPeers")).isEqualTo(3);
    assertThat(remote.getAttribute(chat, "MessageCount")).isEqualTo(42L);
    assertThat(remote.getAttribute(chat, "DeliveryLatencyP50Millis")).isEqualTo(4.5);
    assertThat(remote.getAttribute(chat, "DeliveryLatencyP90Millis")).isEqualTo(9.5);
    assertThat(remote.getAttribute(chat, "DeliveryLatencyP99Millis")).isEqualTo(19.0);
    assertThat(remote.getAttribute(chat, "DeliveryLatencyP999Millis")).isEqualTo(31.0);
    assertThat(remote.getAttribute(chat, "DeliveryLatencyMaxMillis")).isEqualTo(40.5);
    assertThat(remote.getAttribute(chat, "LastReceived")).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(remote.getAttribute(chat, "Bytes")).isEqualTo(4200L);
    assertThat(remote.getAttribute(chat, "BytesPerSecond")).isInstanceOf(Double.class);

    // A connected peer's own MBean, as JConsole reaches it over the connector.
    ObjectName peer = MeshlogMBeans.peerName("12D3KooWA", null);
    Await.until("12D3KooWA's Peer MBean", () -> remote.isRegistered(peer));
    for (MBeanAttributeInfo a : remote.getMBeanInfo(peer).getAttributes()) {
      assertThat(remote.getAttribute(peer, a.getName())).as(peer + " " + a.getName()).isNotNull();
    }
    assertThat(remote.getAttribute(peer, "Duplicates")).isEqualTo(5L);
    assertThat(remote.getAttribute(peer, "FailureStreak")).isEqualTo(2L);
    assertThat(remote.getAttribute(peer, "BytesOut")).isEqualTo(1100L);
    assertThat(remote.getAttribute(peer, "Topics")).isEqualTo("chat,news");
  }

  @Test
  void shouldShowPeersAsATableOfOpenTypes() throws Exception {
    assertThat(remote.getAttribute(MeshlogMBeans.PEERS, "PeerCount")).isEqualTo(2);
    TabularData table = (TabularData) remote.getAttribute(MeshlogMBeans.PEERS, "Peers");
    assertThat(table.size()).isEqualTo(2);
    CompositeData a = table.get(new Object[] {"12D3KooWA"});
    assertThat(a.get("direction")).isEqualTo("outbound");
    assertThat(a.get("connectionType")).isEqualTo("direct");
    assertThat(a.get("remoteAddress")).isEqualTo("/ip4/127.0.0.1/tcp/4002");
    assertThat(a.get("latencyMillis")).isEqualTo(1.5);
    assertThat(a.get("agent")).isEqualTo("js-libp2p/3");
    assertThat(a.get("score")).isEqualTo(12.5);
    assertThat(a.get("topics")).isEqualTo("chat,news");
    assertThat(a.get("bytesOut")).isEqualTo(1100L);
    assertThat(a.get("duplicates")).isEqualTo(5L);
    assertThat(a.get("failureStreak")).isEqualTo(2L);
    assertThat(a.get("addressSource")).isEqualTo("config");
    // Open types only: the row's class is the JDK's, not meshlog's.
    assertThat(a.getClass().getName()).startsWith("javax.management.openmbean.");
    assertThat(table.get(new Object[] {"12D3KooWB"}).get("connectionType")).isEqualTo("relayed");
  }

  @Test
  void shouldInvokeOperationsRemotely() throws Exception {
    Object id =
        remote.invoke(
            MeshlogMBeans.NODE,
            "publishTestMessage",
            new Object[] {"chat", "hello"},
            new String[] {String.class.getName(), String.class.getName()});
    assertThat(id).isEqualTo("msg-1");
    assertThat(views.published).containsExactly("chat:hello");

    Object rtt =
        remote.invoke(
            MeshlogMBeans.NODE,
            "ping",
            new Object[] {"12D3KooWA"},
            new String[] {String.class.getName()});
    assertThat(rtt).isEqualTo(12.0);

    assertThat(
            remote.invoke(
                MeshlogMBeans.NODE,
                "connect",
                new Object[] {"/ip4/127.0.0.1/tcp/4005"},
                new String[] {String.class.getName()}))
        .isEqualTo("12D3KooWRemote");
    remote.invoke(
        MeshlogMBeans.NODE,
        "disconnect",
        new Object[] {"12D3KooWA"},
        new String[] {String.class.getName()});
    remote.invoke(MeshlogMBeans.NODE, "reconnectMesh", null, null);
    assertThat(views.connected).containsExactly("/ip4/127.0.0.1/tcp/4005");
    assertThat(views.disconnected).containsExactly("12D3KooWA");
    assertThat(views.meshResets).hasValue(1);

    views.appended.set(99);
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionLag")).isEqualTo(100L);
    assertThat(remote.invoke(MeshlogMBeans.EVENT_LOG, "rebuild", null, null)).isEqualTo(99L);
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionLag")).isEqualTo(0L);

    // Consoles show parameter names, not p0/p1.
    MBeanOperationInfo publish =
        List.of(remote.getMBeanInfo(MeshlogMBeans.NODE).getOperations()).stream()
            .filter(o -> o.getName().equals("publishTestMessage"))
            .findFirst()
            .orElseThrow();
    assertThat(publish.getSignature())
        .extracting(p -> p.getName())
        .containsExactly("topic", "text");
  }

  @Test
  void shouldPassTheReasonOfAFailedOperationToTheConsole() {
    assertThatThrownBy(
            () ->
                remote.invoke(
                    MeshlogMBeans.NODE,
                    "ping",
                    new Object[] {"nonsense"},
                    new String[] {String.class.getName()}))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasStackTraceContaining("not a peer id: nonsense");
  }

  @Test
  void shouldValidateGossipsubWrites() throws Exception {
    remote.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("D", 8));
    assertThat(views.params.d()).isEqualTo(8);
    assertThat(remote.getAttribute(MeshlogMBeans.GOSSIPSUB, "D")).isEqualTo(8);
    remote.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("GossipThreshold", -20.0));
    assertThat(views.params.gossipThreshold()).isEqualTo(-20.0);

    GossipParams before = views.params;
    assertThatThrownBy(() -> remote.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("DLo", 9)))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasStackTraceContaining("DLo");
    assertThatThrownBy(() -> remote.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("DHi", 7)))
        .hasStackTraceContaining("DHi");
    assertThatThrownBy(
            () ->
                remote.setAttribute(
                    MeshlogMBeans.GOSSIPSUB, new Attribute("PublishThreshold", -5.0)))
        .hasStackTraceContaining("PublishThreshold");
    assertThatThrownBy(
            () ->
                remote.setAttribute(
                    MeshlogMBeans.GOSSIPSUB, new Attribute("AcceptPxThreshold", Double.NaN)))
        .hasStackTraceContaining("AcceptPxThreshold");
    assertThat(views.params).isEqualTo(before);
    assertThat(remote.getAttribute(MeshlogMBeans.GOSSIPSUB, "DLo")).isEqualTo(4);
  }

  @Test
  void shouldRefuseWritesToAReadOnlyRole() throws Exception {
    try (JMXConnector monitor =
        JmxTestSupport.connect(
            jmx.serviceUrl(), JmxTestSupport.MONITOR, JmxTestSupport.MONITOR_PASSWORD)) {
      MBeanServerConnection c = monitor.getMBeanServerConnection();
      assertThat(c.getAttribute(MeshlogMBeans.GOSSIPSUB, "D")).isEqualTo(6);
      assertThatThrownBy(() -> c.setAttribute(MeshlogMBeans.GOSSIPSUB, new Attribute("D", 7)))
          .isInstanceOf(SecurityException.class);
      assertThatThrownBy(() -> c.invoke(MeshlogMBeans.NODE, "reconnectMesh", null, null))
          .isInstanceOf(SecurityException.class);
    }
    assertThat(views.params.d()).isEqualTo(6);
    assertThat(views.meshResets).hasValue(0);
  }

  @Test
  void shouldNotifyRemoteListenersAndBuildNothingWithoutThem() throws Exception {
    MeshlogNotifications notes = beans.notifications();
    for (int i = 0; i < 1000; i++) {
      notes.peerConnected("12D3KooWA", "outbound", "/ip4/127.0.0.1/tcp/4002");
      notes.graft("12D3KooWA", "chat", "outbound");
    }
    assertThat(notes.active()).isFalse();
    assertThat(beans.counter(JmxCounter.NOTIFICATIONS_SENT)).isZero();

    BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
    NotificationListener listener = (n, handback) -> received.add(n);
    remote.addNotificationListener(MeshlogMBeans.NODE, listener, null, null);
    assertThat(notes.active()).isTrue();

    notes.peerConnected("12D3KooWA", "outbound", "/ip4/127.0.0.1/tcp/4002");
    notes.prune("12D3KooWB", "chat", "inbound");
    notes.peerDisconnected("12D3KooWB", "idle");
    Notification connected = received.poll(20, TimeUnit.SECONDS);
    assertThat(connected).isNotNull();
    assertThat(connected.getType()).isEqualTo(MeshlogNotifications.PEER_CONNECTED);
    assertThat(connected.getSource()).isEqualTo(MeshlogMBeans.NODE);
    CompositeData data = (CompositeData) connected.getUserData();
    assertThat(data.get("peerId")).isEqualTo("12D3KooWA");
    assertThat(data.get("address")).isEqualTo("/ip4/127.0.0.1/tcp/4002");
    Notification pruned = received.poll(20, TimeUnit.SECONDS);
    assertThat(pruned.getType()).isEqualTo(MeshlogNotifications.PRUNE);
    assertThat(((CompositeData) pruned.getUserData()).get("topic")).isEqualTo("chat");
    assertThat(received.poll(20, TimeUnit.SECONDS).getType())
        .isEqualTo(MeshlogNotifications.PEER_DISCONNECTED);
    assertThat(beans.counter(JmxCounter.NOTIFICATIONS_SENT)).isEqualTo(3);

    remote.removeNotificationListener(MeshlogMBeans.NODE, listener);
    // The JDK connector's notification buffer stays subscribed to every emitter from the first
    // subscription until the connector stops; stopping it ends all building.
    client.close();
    client = null;
    jmx.close();
    jmx = null;
    Await.until("!notes.active()", () -> !notes.active());
    notes.peerConnected("12D3KooWC", "inbound", "/ip4/127.0.0.1/tcp/4009");
    assertThat(beans.counter(JmxCounter.NOTIFICATIONS_SENT)).isEqualTo(3);
  }

  @Test
  void shouldNotifyHealthChanges() throws Exception {
    BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
    remote.addNotificationListener(MeshlogMBeans.EVENT_LOG, (n, h) -> received.add(n), null, null);
    views.journalHealth = Health.failed("STORAGE_FULL: /data/journal");
    Notification n = received.poll(20, TimeUnit.SECONDS);
    assertThat(n).isNotNull();
    assertThat(n.getType()).isEqualTo(MeshlogNotifications.HEALTH_CHANGED);
    assertThat(n.getMessage()).contains("OK -> FAILED").contains("STORAGE_FULL");
    CompositeData data = (CompositeData) n.getUserData();
    assertThat(data.get("from")).isEqualTo("OK");
    assertThat(data.get("to")).isEqualTo("FAILED");
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "Health")).isEqualTo("FAILED");
    assertThat(remote.getAttribute(MeshlogMBeans.EVENT_LOG, "HealthReason"))
        .isEqualTo("STORAGE_FULL: /data/journal");
    assertThat(remote.getAttribute(MeshlogMBeans.NODE, "HealthState")).isEqualTo(2);
  }

  @Test
  void shouldMeasureEventsPerSecondOverTheInterval() throws Exception {
    // A journal that appends exactly 5000 events per second of wall-clock time.
    long t0 = System.nanoTime();
    views.events = () -> (System.nanoTime() - t0) / 200_000;
    // The first sample spans the switch to this journal; from the second on, the rate is exact.
    Await.until(
        "EventsPerSecond within 4000..6000",
        () -> {
          double rate = attribute(MeshlogMBeans.EVENT_LOG, "EventsPerSecond");
          return rate >= 4000 && rate <= 6000;
        });
    // And it stays there, sample after sample.
    for (int i = 0; i < 5; i++) {
      double rate = attribute(MeshlogMBeans.EVENT_LOG, "EventsPerSecond");
      assertThat(rate).isBetween(4000.0, 6000.0);
      Thread.sleep(INTERVAL.toMillis());
    }
  }

  private double attribute(ObjectName name, String attribute) {
    try {
      return (Double) remote.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldFollowTopicsAsTheyComeAndGo() throws Exception {
    ObjectName news = MeshlogMBeans.topicName("news/eu,west");
    views.topics.put(
        "news/eu,west", TopicInfo.withoutLatency("news/eu,west", false, 0, 1, -1, 0, 0));
    Await.until("isRegistered(news)", () -> isRegistered(news));
    assertThat(remote.getAttribute(news, "Topic")).isEqualTo("news/eu,west");
    assertThat(remote.getAttribute(news, "LastReceived")).isEqualTo("");
    views.topics.remove("news/eu,west");
    Await.until("!isRegistered(news)", () -> !isRegistered(news));
    assertThat(isRegistered(MeshlogMBeans.topicName("chat"))).isTrue();
  }

  @Test
  void shouldRefuseASecondRegistrationNamingTheBean() {
    assertThatThrownBy(() -> MeshlogMBeans.register(server, views.views(), INTERVAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.meshlog:type=EventLog");
    // The failed attempt removed nothing of the first.
    assertThat(server.isRegistered(MeshlogMBeans.NODE)).isTrue();
  }

  @Test
  void shouldLetNamedNodesShareAJvm() throws Exception {
    FakeViews second = new FakeViews();
    second.topics.put("chat", TopicInfo.withoutLatency("chat", true, 1, 7, -1, 0, 0));
    try (MeshlogMBeans b = MeshlogMBeans.register(server, second.views(), INTERVAL, "node-2")) {
      ObjectName node2 = MeshlogMBeans.objectName("Node", "node-2");
      assertThat(b.names()).contains(node2, MeshlogMBeans.topicName("chat", "node-2"));
      assertThat(node2.toString()).isEqualTo("io.meshlog:type=Node,node=node-2");
      assertThat(remote.getAttribute(node2, "PeerId")).isEqualTo("12D3KooWSelf");
      assertThat(remote.getAttribute(MeshlogMBeans.topicName("chat", "node-2"), "MessageCount"))
          .isEqualTo(7L);
      assertThat(remote.getAttribute(MeshlogMBeans.topicName("chat"), "MessageCount"))
          .isEqualTo(42L);
    }
    assertThat(server.isRegistered(MeshlogMBeans.NODE)).isTrue();
  }

  @Test
  void shouldKeepTheOtherBeansWhenATopicNameIsTaken() throws Exception {
    // Another node of this JVM, unnamed by mistake, holds "news" before this one learns of it.
    FakeViews squatter = new FakeViews();
    squatter.topics.put("news", TopicInfo.withoutLatency("news", true, 0, 0, -1, 0, 0));
    server.registerMBean(
        new javax.management.StandardMBean(
            new io.meshlog.jmx.internal.TopicBean(
                "news", squatter, io.meshlog.eventlog.metrics.CounterSet.of(JmxCounter.class)),
            TopicMXBean.class,
            true),
        MeshlogMBeans.topicName("news"));
    try {
      views.topics.put("news", TopicInfo.withoutLatency("news", true, 2, 5, -1, 0, 0));
      Await.until(
          "beans.counter(JmxCounter.SAMPLER_ERRORS) > 0",
          () -> beans.counter(JmxCounter.SAMPLER_ERRORS) > 0);
      assertThat(remote.isRegistered(MeshlogMBeans.NODE)).isTrue();
      assertThat(remote.isRegistered(MeshlogMBeans.topicName("chat"))).isTrue();
    } finally {
      server.unregisterMBean(MeshlogMBeans.topicName("news"));
    }
    // The next interval registers it.
    Await.until(
        "isRegistered(MeshlogMBeans.topicName(\"news\"))",
        () -> isRegistered(MeshlogMBeans.topicName("news")));
    assertThat(remote.getAttribute(MeshlogMBeans.topicName("news"), "MessageCount")).isEqualTo(5L);
  }

  private boolean isRegistered(ObjectName name) {
    try {
      return remote.isRegistered(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
