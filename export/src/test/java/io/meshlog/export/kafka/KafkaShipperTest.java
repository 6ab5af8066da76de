package io.meshlog.export.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalCycle;
import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.ExportException;
import io.meshlog.export.ExportRecord;
import io.meshlog.export.testing.KafkaTestBroker;
import io.meshlog.export.testing.ShippedJournals;
import io.meshlog.export.testing.ShippedJournals.Stored;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real broker: every record once, resumed after restarts, readable back. */
@Timeout(180)
class KafkaShipperTest {
  @TempDir static Path brokerDir;
  @TempDir Path tmp;

  static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start(brokerDir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private ExportConfig config(String topic, ExportConfig.Format format) {
    return ExportConfig.builder()
        .bootstrapServers(broker.bootstrap())
        .topic(topic)
        .format(format)
        .build();
  }

  private static long ship(Path dataDir, ExportConfig config) {
    try (KafkaShipper s =
        KafkaShipper.open(dataDir, config, null, CounterSet.of(ExportCounter.class))) {
      return s.run(true);
    }
  }

  /** Every value in the topic, in partition order. */
  private List<ExportRecord.Shipped> topic(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ExportRecord.Shipped> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          ExportRecord.Shipped s = ExportRecord.read(r.value());
          assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(Base58.encode(s.node()));
          out.add(s);
        }
      }
    }
    return out;
  }

  private static List<Stored> stored(List<ExportRecord.Shipped> shipped) {
    return shipped.stream().map(s -> new Stored(s.index(), s.record())).toList();
  }

  @Test
  void shouldShipEveryRecordOnceAndResumeAfterItsPosition() throws Exception {
    broker.createTopic("resume", 3);
    Path node = tmp.resolve("node");
    byte[] peer = ShippedJournals.peer(1);
    ShippedJournals.append(node, peer, true, 0, 500);

    int first = ShippedJournals.records(node).size(); // 501, one more across an hour boundary
    assertThat(ship(node, config("resume", ExportConfig.Format.BINARY))).isEqualTo(first);
    assertThat(stored(topic("resume"))).containsExactlyElementsOf(ShippedJournals.records(node));
    long position = RetentionHold.lastIndex(EventLog.journalDir(node), KafkaShipper.HOLD);
    assertThat(position).isEqualTo(ShippedJournals.records(node).get(first - 1).index());

    // The node runs on (a restart, more events); a new shipper sends only what is new.
    ShippedJournals.append(node, peer, true, 500, 300);
    assertThat(ship(node, config("resume", ExportConfig.Format.BINARY)))
        .isEqualTo(ShippedJournals.records(node).size() - first);
    assertThat(ship(node, config("resume", ExportConfig.Format.BINARY))).isZero();
    List<ExportRecord.Shipped> all = topic("resume");
    assertThat(stored(all)).containsExactlyElementsOf(ShippedJournals.records(node));
    assertThat(all).allSatisfy(s -> assertThat(s.node()).isEqualTo(peer));
  }

  /**
   * Retention deleted the start of the journal with its NODE_STARTED: the JOURNAL_CYCLE record the
   * journal wrote into the next cycle file says whose it is, and every record is keyed by it.
   */
  @Test
  void shouldKnowTheNodeFromAJournalCycleRecordWhenItsStartIsDeleted() throws Exception {
    broker.createTopic("cycle", 1);
    Path node = tmp.resolve("node");
    byte[] peer = ShippedJournals.peer(3);
    try (Journal j = Journals.open(ShippedJournals.config(node), List.of())) {
      j.sink()
          .publish(
              new Event()
                  .type(EventType.JOURNAL_CYCLE)
                  .peer(peer)
                  .text("test")
                  .data(
                      new JournalCycle(List.of(new JournalCycle.Topic("t", List.of()))).encode()));
      Await.until("journaled", () -> j.counter(JournalCounter.EVENTS_APPENDED) >= 1);
    }
    ShippedJournals.append(node, peer, false, 0, 20);

    long shipped = ship(node, config("cycle", ExportConfig.Format.BINARY));

    assertThat(shipped).isEqualTo(ShippedJournals.records(node).size());
    List<ExportRecord.Shipped> all = topic("cycle");
    assertThat(stored(all)).containsExactlyElementsOf(ShippedJournals.records(node));
    assertThat(all).allSatisfy(s -> assertThat(s.node()).isEqualTo(peer));
  }

  @Test
  void shouldRefuseASecondShipperOnOneDataDirWithAClearMessage() throws Exception {
    Path node = tmp.resolve("node");
    ShippedJournals.append(node, ShippedJournals.peer(2), true, 0, 3);
    try (KafkaShipper first =
        KafkaShipper.open(
            node,
            config("unused", ExportConfig.Format.BINARY),
            null,
            CounterSet.of(ExportCounter.class))) {
      assertThatThrownBy(
              () ->
                  KafkaShipper.open(
                      node,
                      config("unused", ExportConfig.Format.BINARY),
                      null,
                      CounterSet.of(ExportCounter.class)))
          .isInstanceOf(ExportException.class)
          .hasMessageContaining("another shipper is already shipping this data directory")
          .hasMessageContaining("kafka-shipper.lock");
      assertThat(first.node()).isEqualTo(Base58.encode(ShippedJournals.peer(2)));
    }
  }

  @Test
  void shouldReadJsonAndBinaryValuesBackIntoJournalsAtTheirIndexes() throws Exception {
    broker.createTopic("json", 2);
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    ShippedJournals.append(a, ShippedJournals.peer(3), true, 0, 200);
    ShippedJournals.append(b, ShippedJournals.peer(4), true, 0, 100);
    ship(a, config("json", ExportConfig.Format.JSON));
    ship(b, config("json", ExportConfig.Format.BINARY));

    KafkaJournals.Result r =
        KafkaJournals.read(broker.bootstrap(), "json", Map.of(), tmp.resolve("replay"));
    assertThat(r.records()).isEqualTo(302);
    assertThat(r.duplicates()).isZero();
    assertThat(r.reindexed()).isZero();
    assertThat(r.dataDirs()).hasSize(2);
    assertThat(ShippedJournals.records(r.dataDirs().get(Base58.encode(ShippedJournals.peer(3)))))
        .containsExactlyElementsOf(ShippedJournals.records(a));
    assertThat(ShippedJournals.records(r.dataDirs().get(Base58.encode(ShippedJournals.peer(4)))))
        .containsExactlyElementsOf(ShippedJournals.records(b));
  }

  @Test
  void shouldDropRecordsSentTwiceOnReadBack() throws Exception {
    broker.createTopic("twice", 1);
    Path a = tmp.resolve("a");
    ShippedJournals.append(a, ShippedJournals.peer(5), true, 0, 50);
    ship(a, config("twice", ExportConfig.Format.BINARY));
    // A crash between send and position commit: the position is older than what Kafka holds.
    RetentionHold.write(EventLog.journalDir(a), KafkaShipper.HOLD, -1, "");
    ship(a, config("twice", ExportConfig.Format.BINARY));
    assertThat(topic("twice")).hasSize(102);

    KafkaJournals.Result r =
        KafkaJournals.read(broker.bootstrap(), "twice", Map.of(), tmp.resolve("replay"));
    assertThat(r.duplicates()).isEqualTo(51);
    Set<Long> seen = new HashSet<>();
    List<Stored> back = ShippedJournals.records(r.dataDirs().values().iterator().next());
    back.forEach(s -> assertThat(seen.add(s.index())).isTrue());
    assertThat(back).containsExactlyElementsOf(ShippedJournals.records(a));
  }
}
