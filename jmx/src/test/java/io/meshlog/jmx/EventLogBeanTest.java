package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestJournals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.adapter.EventLogMeters;
import io.meshlog.jmx.adapter.JournalEventLogView;
import io.meshlog.jmx.adapter.ProjectionTopicsView;
import io.meshlog.jmx.view.MeshlogViews;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The EventLog and Topic MBeans over a real journal and real projections, read remotely. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventLogBeanTest {

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ProjectionConfig projectionConfig = ProjectionConfig.defaults();
  private MeshlogMBeans beans;
  private JmxServer jmx;
  private JMXConnector client;

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
  }

  private MBeanServerConnection console(MeshlogViews views) throws Exception {
    beans = MeshlogMBeans.register(server, views, Duration.ofMillis(50));
    jmx = JmxServer.start(JmxTestSupport.remoteConfig(dir), server);
    client =
        JmxTestSupport.connect(
            jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD);
    return client.getMBeanServerConnection();
  }

  @Test
  void shouldFollowALiveJournalAndItsProjections() throws Exception {
    Path projectionsDir = dir.resolve("projections");
    try (Projections projections = Projections.open(projectionsDir, projectionConfig);
        Journal journal =
            Journals.open(
                JournalConfig.builder(dir.resolve("journal")).build(), List.of(projections))) {
      JournalEventLogView view = new JournalEventLogView(journal, () -> projections, null);
      MBeanServerConnection c =
          console(
              MeshlogViews.none()
                  .withEventLog(view)
                  .withTopics(new ProjectionTopicsView(() -> projections, null)));
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "AppendedIndex")).isEqualTo(-1L);

      long publishTime = System.currentTimeMillis() * 1_000_000L;
      // one delivery took 80 ms, the other 199 took 5 ms
      journal.sink().publish(delivery("chat", 0, publishTime - 75_000_000L, 80_000_000L));
      for (int i = 1; i < 200; i++) {
        journal.sink().publish(delivery("chat", i, publishTime, 5_000_000L));
      }
      Await.until(
          "journal.counter(io.meshlog.eventlog.JournalCounter.EVENTS_APPENDED) == 200",
          () -> journal.counter(io.meshlog.eventlog.JournalCounter.EVENTS_APPENDED) == 200);
      long appended = journal.appendedIndex();
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "AppendedIndex")).isEqualTo(appended);
      Await.until(
          "projections.appliedIndex() == appended", () -> projections.appliedIndex() == appended);
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionAppliedIndex"))
          .isEqualTo(appended);
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionLag")).isEqualTo(0L);
      assertThat((Long) c.getAttribute(MeshlogMBeans.EVENT_LOG, "JournalSizeBytes")).isPositive();
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "Health")).isEqualTo("OK");
      // Everything published has been consumed, so the whole ring is free again.
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "RingRemainingCapacity"))
          .isEqualTo(journal.ringSize());

      ObjectName chat = MeshlogMBeans.topicName("chat");
      Percentage within = Percentage.withPercentage(1);
      Await.until("registered(c, chat)", () -> registered(c, chat));
      assertThat(c.getAttribute(chat, "MessageCount")).isEqualTo(200L);
      // measured values, within HdrHistogram's 1%
      assertThat((Double) c.getAttribute(chat, "DeliveryLatencyP50Millis")).isCloseTo(5.0, within);
      assertThat((Double) c.getAttribute(chat, "DeliveryLatencyP90Millis")).isCloseTo(5.0, within);
      assertThat((Double) c.getAttribute(chat, "DeliveryLatencyP99Millis")).isCloseTo(5.0, within);
      assertThat((Double) c.getAttribute(chat, "DeliveryLatencyP999Millis"))
          .isCloseTo(80.0, Percentage.withPercentage(1));
      assertThat((Double) c.getAttribute(chat, "DeliveryLatencyMaxMillis"))
          .isCloseTo(80.0, Percentage.withPercentage(1));
      assertThat((Long) c.getAttribute(chat, "LastReceivedMillis"))
          .isEqualTo(publishTime / 1_000_000 + 5);

      try (MeshlogMetrics metrics = MeshlogMetrics.start(server, JmxServerConfig.defaults())) {
        EventLogMeters.bind(metrics, journal, () -> projections);
        ObjectName appendedMeter =
            new ObjectName("io.meshlog:type=Metrics,name=meshlog.journal.events.appended");
        assertThat(((Number) c.getAttribute(appendedMeter, "Value")).longValue()).isEqualTo(200);
        ObjectName appliedMeter =
            new ObjectName("io.meshlog:type=Metrics,name=meshlog.projection.applied.index");
        assertThat(((Number) c.getAttribute(appliedMeter, "Value")).longValue())
            .isEqualTo(appended);
        assertThat(metrics.scrape()).contains("journal_events_appended_total 200.0");
      }

      // This node runs the projections in the journal's pipeline: no live rebuild, and it says so.
      assertThatThrownBy(() -> c.invoke(MeshlogMBeans.EVENT_LOG, "rebuild", null, null))
          .hasStackTraceContaining("meshlog rebuild");
    }
  }

  @Test
  void shouldRebuildLaggingProjectionsFromTheJournal() throws Exception {
    Path projectionsDir = dir.resolve("projections");
    AtomicReference<Projections> current =
        new AtomicReference<>(Projections.open(projectionsDir, projectionConfig));
    try (Journal journal =
        Journals.open(JournalConfig.builder(dir.resolve("journal")).build(), List.of())) {
      // Projections read by this process from the journal rather than fed by its pipeline; a
      // rebuild swaps them for freshly built ones.
      JournalEventLogView view =
          new JournalEventLogView(
              journal,
              current::get,
              () -> {
                current.get().close();
                try (JournalReader reader = journal.reader()) {
                  Projections.rebuild(projectionsDir, projectionConfig, reader);
                }
                current.set(Projections.open(projectionsDir, projectionConfig));
                return current.get().appliedIndex();
              });
      MBeanServerConnection c =
          console(
              MeshlogViews.none()
                  .withEventLog(view)
                  .withTopics(new ProjectionTopicsView(current::get, null)));

      for (int i = 0; i < 50; i++) {
        journal
            .sink()
            .publish(delivery("news", i, System.currentTimeMillis() * 1_000_000L, 5_000_000L));
      }
      Await.until(
          "journal.counter(io.meshlog.eventlog.JournalCounter.EVENTS_APPENDED) == 50",
          () -> journal.counter(io.meshlog.eventlog.JournalCounter.EVENTS_APPENDED) == 50);
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionAppliedIndex")).isEqualTo(-1L);
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionLag")).isEqualTo(50L);

      Object applied = c.invoke(MeshlogMBeans.EVENT_LOG, "rebuild", null, null);

      assertThat(applied).isEqualTo(journal.appendedIndex());
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "ProjectionLag")).isEqualTo(0L);
      ObjectName news = MeshlogMBeans.topicName("news");
      Await.until("registered(c, news)", () -> registered(c, news));
      assertThat(c.getAttribute(news, "MessageCount")).isEqualTo(50L);
    } finally {
      current.get().close();
    }
  }

  @Test
  void shouldNotifyAConsoleWhenRetentionDeletesWhatAShipperHasNotShipped() throws Exception {
    Path journalDir = dir.resolve("journal");
    JournalConfig config =
        JournalConfig.builder(journalDir)
            .rollCycle(JournalConfig.RollCycle.TEST_SECONDLY)
            .preallocateBytes(0)
            .retentionMaxBytes(1)
            .retentionInterval(Duration.ofHours(1))
            .retentionIgnoreHolds(true)
            .build();
    try (Journal journal = Journals.open(config, List.of())) {
      MBeanServerConnection c =
          console(
              MeshlogViews.none().withEventLog(new JournalEventLogView(journal, () -> null, null)));
      BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
      c.addNotificationListener(MeshlogMBeans.EVENT_LOG, (n, h) -> received.add(n), null, null);
      // Three cycle files, and a shipper that has read none of them.
      for (int i = 0; i < 3; i++) {
        int cycle = TestJournals.currentCycle(JournalConfig.RollCycle.TEST_SECONDLY);
        journal.sink().publish(delivery("chat", i, System.currentTimeMillis() * 1_000_000L, 0));
        int written = i + 1;
        Await.until(
            "event " + i + " journaled",
            () -> journal.counter(JournalCounter.EVENTS_APPENDED) == written);
        Await.until(
            "the next cycle",
            () -> TestJournals.currentCycle(JournalConfig.RollCycle.TEST_SECONDLY) > cycle);
      }
      RetentionHold.write(journalDir, "kafka", -1, "");
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "UnshippedCyclesDeleted")).isEqualTo(0L);

      TestJournals.runRetentionNow(journal);

      long deleted = journal.counter(JournalCounter.UNSHIPPED_DELETED);
      assertThat(deleted).isPositive();
      Notification n = received.poll(20, TimeUnit.SECONDS);
      assertThat(n).isNotNull();
      assertThat(n.getType()).isEqualTo(MeshlogNotifications.UNSHIPPED_DELETED);
      assertThat(n.getSource()).isEqualTo(MeshlogMBeans.EVENT_LOG);
      assertThat(n.getMessage())
          .contains("retention deleted " + deleted + " cycle file")
          .contains("journal.retention.ignoreHolds=true")
          .contains("never shipped");
      CompositeData data = (CompositeData) n.getUserData();
      assertThat(data.get("from")).isEqualTo("0");
      assertThat(data.get("to")).isEqualTo(Long.toString(deleted));
      assertThat(c.getAttribute(MeshlogMBeans.EVENT_LOG, "UnshippedCyclesDeleted"))
          .isEqualTo(deleted);
      // Once said, not repeated: the next samples find nothing new.
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  private static Event delivery(String topic, int n, long publishNanos, long latencyNanos) {
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .timeNanos(publishNanos + latencyNanos)
        .peer(new byte[] {0, 36, 1, (byte) n})
        .topic(topic)
        .messageId(("m-" + n).getBytes(StandardCharsets.UTF_8))
        .origin(new byte[] {0, 36, 2})
        .originSeqno(n)
        .lamport(n)
        .value(publishNanos)
        .data(("hello " + n).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean registered(MBeanServerConnection c, ObjectName name) {
    try {
      return c.isRegistered(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
