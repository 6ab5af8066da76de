package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.jmx.adapter.ProjectionTopicsView;
import io.meshlog.jmx.view.MeshlogViews;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Mesh state and notifications driven by a real journal, seen by a remote console. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveMeshStateTest {

  private static final byte[] PEER_A = {0, 36, 8, 1, 18, 32, 1, 2, 3};
  private static final byte[] PEER_B = {0, 36, 8, 1, 18, 32, 4, 5, 6};

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void shouldTrackMeshesAndNotifyConsoles() throws Exception {
    LiveMeshState state = new LiveMeshState();
    FakeViews node = new FakeViews();
    try (Journal journal =
            Journals.open(JournalConfig.builder(dir.resolve("journal")).build(), List.of(state));
        MeshlogMBeans beans =
            MeshlogMBeans.register(
                server,
                MeshlogViews.none()
                    .withNode(node)
                    .withTopics(new ProjectionTopicsView(() -> null, state)),
                Duration.ofMillis(50));
        JmxServer jmx = JmxServer.start(JmxTestSupport.remoteConfig(dir), server);
        JMXConnector client =
            JmxTestSupport.connect(
                jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD)) {
      state.notifyTo(beans.notifications());
      MBeanServerConnection c = client.getMBeanServerConnection();
      BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
      c.addNotificationListener(MeshlogMBeans.NODE, (n, h) -> received.add(n), null, null);

      publish(
          journal,
          event(EventType.CONNECTION_OPENED, PEER_A)
              .direction(Direction.OUTBOUND)
              .text("/ip4/127.0.0.1/tcp/4002"));
      publish(journal, new Event().type(EventType.JOIN).topic("chat"));
      publish(journal, event(EventType.PEER_SUBSCRIBED, PEER_A).topic("chat"));
      publish(journal, event(EventType.PEER_SUBSCRIBED, PEER_B).topic("chat"));
      publish(journal, event(EventType.GRAFT, PEER_A).topic("chat").direction(Direction.OUTBOUND));
      publish(journal, event(EventType.GRAFT, PEER_B).topic("chat").direction(Direction.INBOUND));
      publish(journal, event(EventType.SCORE_SNAPSHOT, PEER_A).value(2_500_000));

      ObjectName chat = MeshlogMBeans.topicName("chat");
      Await.until(
          "state.meshPeers(\"chat\") == 2 && state.score(Base58.encode(PEER_A)) == 2.5",
          () -> state.meshPeers("chat") == 2 && state.score(Base58.encode(PEER_A)) == 2.5);
      Await.until("registered(c, chat)", () -> registered(c, chat));
      assertThat(c.getAttribute(chat, "Subscribed")).isEqualTo(true);
      assertThat(c.getAttribute(chat, "MeshPeers")).isEqualTo(2);
      assertThat(state.topicsOf(Base58.encode(PEER_B))).containsExactly("chat");

      publish(journal, event(EventType.PRUNE, PEER_B).topic("chat").direction(Direction.INBOUND));
      Await.until("state.meshPeers(\"chat\") == 1", () -> state.meshPeers("chat") == 1);

      Notification connected = received.poll(20, TimeUnit.SECONDS);
      assertThat(connected.getType()).isEqualTo(MeshlogNotifications.PEER_CONNECTED);
      CompositeData data = (CompositeData) connected.getUserData();
      assertThat(data.get("peerId")).isEqualTo(Base58.encode(PEER_A));
      assertThat(data.get("direction")).isEqualTo("outbound");
      assertThat(data.get("address")).isEqualTo("/ip4/127.0.0.1/tcp/4002");
      assertThat(received.poll(20, TimeUnit.SECONDS).getType())
          .isEqualTo(MeshlogNotifications.GRAFT);
      assertThat(received.poll(20, TimeUnit.SECONDS).getType())
          .isEqualTo(MeshlogNotifications.GRAFT);
      Notification prune = received.poll(20, TimeUnit.SECONDS);
      assertThat(prune.getType()).isEqualTo(MeshlogNotifications.PRUNE);
      assertThat(((CompositeData) prune.getUserData()).get("peerId"))
          .isEqualTo(Base58.encode(PEER_B));

      // A final position that moved a message: the console is told where from and where to.
      publish(
          journal,
          new Event()
              .type(EventType.REORDER_APPLIED)
              .topic("chat")
              .messageId(new byte[] {(byte) 0xAB, 0x01})
              .epoch(2)
              .finalSeq(7)
              .oldPosition(9)
              .newPosition(4));
      Notification reorder = received.poll(20, TimeUnit.SECONDS);
      assertThat(reorder.getType()).isEqualTo(MeshlogNotifications.REORDERED);
      CompositeData moved = (CompositeData) reorder.getUserData();
      assertThat(moved.get("topic")).isEqualTo("chat");
      assertThat(moved.get("from")).isEqualTo("9");
      assertThat(moved.get("to")).isEqualTo("4");
      assertThat(moved.get("reason")).isEqualTo("message ab01 final at epoch 2 seq 7");

      publish(journal, new Event().type(EventType.LEAVE).topic("chat"));
      Await.until("!registered(c, chat)", () -> !registered(c, chat));
    }
  }

  private static Event event(EventType type, byte[] peer) {
    return new Event().type(type).peer(peer);
  }

  private static void publish(Journal journal, Event e) {
    journal.sink().publish(e);
  }

  private static boolean registered(MBeanServerConnection c, ObjectName name) {
    try {
      return c.isRegistered(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
