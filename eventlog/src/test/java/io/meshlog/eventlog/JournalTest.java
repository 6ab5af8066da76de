package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.eventlog.testing.ExpectErrorLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JournalTest {
  @TempDir Path tmp;

  private JournalConfig.Builder config() {
    return JournalConfig.builder(tmp.resolve("journal")).ringSize(1024).preallocateBytes(8 << 20);
  }

  static Event message(int producer, int n) {
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .topic("t" + producer)
        .originSeqno(n)
        .value(producer)
        .data(("p" + producer + "-" + n).getBytes(StandardCharsets.UTF_8));
  }

  static void await(BooleanSupplier condition) {
    Await.until("the condition holds", condition::getAsBoolean);
  }

  @Test
  void shouldKeepPerProducerOrderAndAGaplessSequenceWithManyProducers() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    JournaledEventHandler recorder =
        (e, index, eob) -> seen.add(new long[] {index, e.sequence(), e.value(), e.originSeqno()});
    try (Journal journal = Journals.open(config().build(), List.of(recorder))) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread t =
            new Thread(
                () -> {
                  Event e = new Event();
                  for (int n = 0; n < perProducer; n++) {
                    journal.sink().publish(e.clear().copyFrom(message(producer, n)));
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      await(() -> seen.size() == producers * perProducer);
      assertThat(journal.counter(JournalCounter.EVENTS_APPENDED))
          .isEqualTo(producers * perProducer);

      long[] nextPerProducer = new long[producers];
      long lastIndex = -1;
      for (int i = 0; i < seen.size(); i++) {
        long[] s = seen.get(i);
        assertThat(s[0]).isGreaterThan(lastIndex);
        assertThat(s[1]).isEqualTo(i);
        assertThat(s[3]).isEqualTo(nextPerProducer[(int) s[2]]++);
        lastIndex = s[0];
      }
      assertThat(journal.appendedIndex()).isEqualTo(lastIndex);

      // The journal on disk holds the same, in the same order.
      try (JournalReader reader = journal.reader()) {
        Event e = new Event();
        int i = 0;
        long index;
        while ((index = reader.next(e)) >= 0) {
          assertThat(index).isEqualTo(seen.get(i)[0]);
          assertThat(e.sequence()).isEqualTo(i);
          assertThat(new String(e.data(), StandardCharsets.UTF_8))
              .isEqualTo("p" + e.value() + "-" + e.originSeqno());
          assertThat(e.timeNanos()).isPositive();
          i++;
        }
        assertThat(i).isEqualTo(producers * perProducer);
      }
    }
  }

  @Test
  void shouldStallProducersAndCountItButDropNothingWhenTheRingIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong handled = new AtomicLong();
    JournaledEventHandler slow =
        (e, index, eob) -> {
          release.await();
          handled.incrementAndGet();
        };
    try (Journal journal = Journals.open(config().ringSize(8).build(), List.of(slow))) {
      Thread producer =
          new Thread(
              () -> {
                for (int n = 0; n < 100; n++) {
                  journal.sink().publish(message(0, n));
                }
              });
      producer.start();
      await(() -> journal.counter(JournalCounter.RING_STALLS) > 0);
      assertThat(journal.health().state()).isEqualTo(JournalHealth.State.LAGGING);
      assertThat(journal.health().reason()).contains("slowest consumer");
      release.countDown();
      producer.join(20_000);
      await(() -> handled.get() == 100);
      assertThat(journal.counter(JournalCounter.EVENTS_APPENDED)).isEqualTo(100);
      assertThat(journal.health()).isEqualTo(JournalHealth.OK);
    }
  }

  @Test
  void shouldNeverShowAGatedHandlerAnEventBeforeItIsJournaled() throws Exception {
    Journal[] holder = new Journal[1];
    AtomicLong violations = new AtomicLong();
    AtomicLong count = new AtomicLong();
    JournaledEventHandler check =
        (e, index, eob) -> {
          // The journal's own published position may lag a batch; the record must be readable.
          if (holder[0] == null) {
            return;
          }
          try (JournalReader r = holder[0].reader()) {
            r.toAfter(index - 1);
            Event onDisk = new Event();
            long read = r.next(onDisk);
            if (read != index || onDisk.sequence() != e.sequence()) {
              violations.incrementAndGet();
            }
          }
          count.incrementAndGet();
        };
    try (Journal journal = Journals.open(config().build(), List.of(check))) {
      holder[0] = journal;
      for (int n = 0; n < 500; n++) {
        journal.sink().publish(message(1, n));
      }
      await(() -> count.get() >= 400);
      assertThat(violations.get()).isZero();
    }
  }

  @Test
  @ExpectErrorLogs("journaled-event handler")
  void shouldCountHandlerExceptionsAndKeepDelivering() throws Exception {
    AtomicLong ok = new AtomicLong();
    JournaledEventHandler flaky =
        (e, index, eob) -> {
          if (e.sequence() % 2 == 0) {
            throw new IllegalStateException("boom " + e.sequence());
          }
          ok.incrementAndGet();
        };
    try (Journal journal = Journals.open(config().build(), List.of(flaky))) {
      for (int n = 0; n < 100; n++) {
        journal.sink().publish(message(0, n));
      }
      await(() -> ok.get() == 50);
      assertThat(journal.counter(JournalCounter.HANDLER_ERRORS)).isEqualTo(50);
    }
  }

  @Test
  void shouldDrainTheRingOnCloseAndContinueTheSequenceAfterRestart() throws Exception {
    JournalConfig cfg = config().build();
    try (Journal journal = Journals.open(cfg, List.of())) {
      for (int n = 0; n < 1000; n++) {
        journal.sink().publish(message(0, n));
      }
    }
    List<Long> sequences = new CopyOnWriteArrayList<>();
    Journal reopened = Journals.open(cfg, List.of((e, i, eob) -> sequences.add(e.sequence())));
    try (Journal journal = reopened) {
      assertThat(journal.counter(JournalCounter.NODE_SEQUENCE)).isEqualTo(999);
      journal.sink().publish(message(0, 1000));
      await(() -> sequences.size() == 1);
      assertThat(sequences).containsExactly(1000L);
    }
    assertThatThrownBy(() -> reopened.sink().publish(message(0, 1)))
        .isInstanceOf(IllegalStateException.class);
    try (JournalReader reader = Journals.openReader(cfg.dir())) {
      Event e = new Event();
      int n = 0;
      while (reader.next(e) >= 0) {
        assertThat(e.sequence()).isEqualTo(n);
        assertThat(e.originSeqno()).isEqualTo(n);
        n++;
      }
      assertThat(n).isEqualTo(1001);
    }
  }

  /**
   * The Disruptor does not count a consumer thread that has not started yet as having a backlog; a
   * journal closed right after it opened once dropped what was published in between.
   */
  @org.junit.jupiter.api.RepeatedTest(20)
  void closeRightAfterOpenStillJournalsEverything() throws Exception {
    JournalConfig cfg = config().build();
    Journal journal = Journals.open(cfg, List.of((e, i, eob) -> {}));
    for (int n = 0; n < 1000; n++) {
      journal.sink().publish(message(0, n));
    }
    journal.close();
    assertThat(journal.counter(JournalCounter.EVENTS_APPENDED)).isEqualTo(1000);
    try (Journal reopened = Journals.open(cfg, List.of())) {
      assertThat(reopened.counter(JournalCounter.NODE_SEQUENCE)).isEqualTo(999);
    }
  }

  @Test
  void shouldSeekAfterAnIndexAndByTimeAndFollow() throws Exception {
    try (Journal journal = Journals.open(config().build(), List.of())) {
      long base = 1_700_000_000_000_000_000L;
      for (int n = 0; n < 100; n++) {
        journal.sink().publish(message(0, n).timeNanos(base + n * 1_000_000L));
      }
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 100);
      try (JournalReader reader = journal.reader()) {
        Event e = new Event();
        long[] indexes = new long[100];
        for (int n = 0; n < 100; n++) {
          indexes[n] = reader.next(e);
        }
        assertThat(reader.next(e)).isEqualTo(-1);

        reader.toAfter(indexes[41]);
        assertThat(reader.next(e)).isEqualTo(indexes[42]);
        assertThat(e.originSeqno()).isEqualTo(42);

        reader.toAfter(-1);
        assertThat(reader.next(e)).isEqualTo(indexes[0]);

        reader.toTime(base + 57 * 1_000_000L - 1);
        assertThat(reader.next(e)).isEqualTo(indexes[57]);
        reader.toTime(base - 5);
        assertThat(reader.next(e)).isEqualTo(indexes[0]);
        reader.toTime(base + 1_000_000_000L);
        assertThat(reader.next(e)).isEqualTo(-1);

        // Follow: a reader at the end picks up what is written later.
        Thread later =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException ignored) {
                    return;
                  }
                  journal.sink().publish(message(0, 100));
                });
        later.start();
        long followed = reader.next(e, Duration.ofSeconds(10));
        assertThat(followed).isGreaterThan(indexes[99]);
        assertThat(e.originSeqno()).isEqualTo(100);
        later.join();
      }
    }
  }

  @Test
  void shouldResumeANamedTailerAfterRestart() throws Exception {
    JournalConfig cfg = config().build();
    try (Journal journal = Journals.open(cfg, List.of())) {
      for (int n = 0; n < 10; n++) {
        journal.sink().publish(message(0, n));
      }
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 10);
      try (JournalReader tailer = journal.tailer("replay-1")) {
        Event e = new Event();
        for (int n = 0; n < 4; n++) {
          assertThat(tailer.next(e)).isNotNegative();
          assertThat(e.originSeqno()).isEqualTo(n);
        }
      }
    }
    try (Journal journal = Journals.open(cfg, List.of());
        JournalReader tailer = journal.tailer("replay-1");
        JournalReader other = journal.tailer("other")) {
      Event e = new Event();
      assertThat(tailer.next(e)).isNotNegative();
      assertThat(e.originSeqno()).isEqualTo(4);
      assertThat(other.next(e)).isNotNegative();
      assertThat(e.originSeqno()).isZero();
    }
  }

  @Test
  void shouldSkipUnknownRecordTypesInReaders() throws Exception {
    // The pipeline cannot write unknown types; a record with a future code is appended raw.
    Path dir = tmp.resolve("journal");
    try (Journal journal = Journals.open(config().build(), List.of())) {
      journal.sink().publish(message(0, 0));
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 1);
    }
    io.meshlog.eventlog.journal.TestRecords.appendRaw(
        dir, new byte[] {(byte) 200, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    try (Journal journal = Journals.open(config().build(), List.of())) {
      journal.sink().publish(message(0, 1));
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 1);
      try (JournalReader reader = journal.reader()) {
        Event e = new Event();
        assertThat(reader.next(e)).isNotNegative();
        assertThat(e.originSeqno()).isEqualTo(0);
        assertThat(reader.next(e)).isNotNegative();
        assertThat(e.originSeqno()).isEqualTo(1);
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(reader.next(e)).isEqualTo(-1);
      }
      assertThat(journal.counter(JournalCounter.SKIPPED_RECORDS)).isEqualTo(1);
    }
  }

  @Test
  void shouldNotAllocatePerEventOnTheSteadyStateWritePath() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (Journal journal = Journals.open(config().build(), List.of())) {
      Event e = message(0, 0);
      int warmup = 50_000;
      for (int n = 0; n < warmup; n++) {
        journal.sink().publish(e);
      }
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == warmup);
      long journalThread =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("meshlog-journal"))
              .findFirst()
              .orElseThrow()
              .getId();
      long producerThread = Thread.currentThread().getId();
      long journalBefore = threads.getThreadAllocatedBytes(journalThread);
      long producerBefore = threads.getThreadAllocatedBytes(producerThread);
      int events = 100_000;
      for (int n = 0; n < events; n++) {
        journal.sink().publish(e);
      }
      long producerBytes = threads.getThreadAllocatedBytes(producerThread) - producerBefore;
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == warmup + events);
      long journalBytes = threads.getThreadAllocatedBytes(journalThread) - journalBefore;
      // A few occasional objects (a new file chunk, a lambda) are fine; one per event is not.
      assertThat(journalBytes).as("journal thread bytes allocated").isLessThan(events);
      assertThat(producerBytes).as("producer bytes allocated").isLessThan(events);
    }
  }

  @Test
  void shouldRejectAndCountOversizedEventsWithoutStoppingTheJournal() throws Exception {
    List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Journal journal =
        Journals.open(
            config().maxRecordBytes(256).build(),
            List.of((e, i, eob) -> seen.add(e.originSeqno())))) {
      journal.sink().publish(message(0, 0));
      journal.sink().publish(message(0, 1).data(new byte[1000]));
      journal.sink().publish(message(0, 2));
      await(() -> seen.size() == 2);
      assertThat(seen).containsExactly(0L, 2L);
      assertThat(journal.counter(JournalCounter.RECORDS_TOO_LARGE)).isEqualTo(1);
      assertThat(journal.counter(JournalCounter.NODE_SEQUENCE)).isEqualTo(1);
      assertThat(journal.health()).isEqualTo(JournalHealth.OK);
    }
  }

  @Test
  void shouldEndTheBatchForConsumersWhenItEndsOnAnUnwrittenEvent() throws Exception {
    AtomicLong lastSeen = new AtomicLong(-1);
    AtomicLong committed = new AtomicLong(-1);
    JournaledEventHandler batching =
        new JournaledEventHandler() {
          @Override
          public void onJournaled(Event event, long journalIndex, boolean endOfBatch) {
            lastSeen.set(journalIndex);
            if (endOfBatch) {
              committed.set(journalIndex);
            }
          }

          @Override
          public void onBatchEnd() {
            committed.set(lastSeen.get());
          }
        };
    try (Journal journal = Journals.open(config().maxRecordBytes(256).build(), List.of(batching))) {
      for (int i = 0; i < 1000; i++) {
        journal.sink().publish(message(0, i));
      }
      journal.sink().publish(message(0, 1000).data(new byte[1000])); // rejected: too large
      await(() -> journal.counter(JournalCounter.RECORDS_TOO_LARGE) == 1);
      await(() -> committed.get() == journal.appendedIndex());
      assertThat(lastSeen.get()).isEqualTo(journal.appendedIndex());
    }
  }

  @Test
  @ExpectErrorLogs("journal STORAGE_FULL")
  void shouldReportLowDiskSpaceAndCountWhatItCannotWrite() throws Exception {
    JournalConfig cfg = config().minFreeBytes(Long.MAX_VALUE / 2).build();
    try (Journal journal = Journals.open(cfg, List.of())) {
      await(() -> journal.health().state() == JournalHealth.State.FAILED);
      assertThat(journal.health().failure()).isEqualTo(JournalException.Reason.STORAGE_FULL);
      assertThat(journal.health().reason()).contains(cfg.dir().toString());
      journal.sink().publish(message(0, 0));
      journal.sink().publish(message(0, 1));
      await(() -> journal.counter(JournalCounter.EVENTS_NOT_JOURNALED) == 2);
      assertThat(journal.counter(JournalCounter.EVENTS_APPENDED)).isZero();
    }
  }

  @Test
  void shouldReportTheSizeOnDisk() throws Exception {
    try (Journal journal = Journals.open(config().build(), List.of())) {
      journal.sink().publish(message(0, 0));
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 1);
      assertThat(journal.sizeOnDiskBytes()).isPositive();
    }
  }

  @Test
  void shouldPreallocateAheadOfTheWriter() throws Exception {
    try (Journal journal = Journals.open(config().build(), List.of())) {
      journal.sink().publish(message(0, 0));
      // An idle writer gets the minimum lead (1 MiB); PreallocatorTest covers a busy one.
      await(() -> journal.counter(JournalCounter.BYTES_PREALLOCATED) >= 1 << 20);
      journal.sink().publish(message(0, 1));
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 2);
    }
  }

  @Test
  void shouldRejectBadConfigValuesNamingTheKey() {
    assertThatThrownBy(() -> JournalConfig.builder(tmp).ringSize(1000).build())
        .hasMessageContaining("invalid journal.ringSize = 1000");
    assertThatThrownBy(
            () ->
                JournalConfig.fromProperties(tmp, java.util.Map.of("journal.waitStrategy", "lazy")))
        .hasMessageContaining("invalid journal.waitStrategy = lazy")
        .hasMessageContaining("busy_spin");
    assertThatThrownBy(
            () ->
                JournalConfig.fromProperties(
                    tmp, java.util.Map.of("journal.retention.maxAge", "soon")))
        .hasMessageContaining("invalid journal.retention.maxAge = soon");
    JournalConfig c =
        JournalConfig.fromProperties(
            tmp,
            java.util.Map.of(
                "journal.ringSize", "4k",
                "journal.waitStrategy", "busy-spin",
                "journal.rollCycle", "fast_daily",
                "journal.retention.maxAge", "7d",
                "journal.retention.maxBytes", "10g"));
    assertThat(c.ringSize()).isEqualTo(4096);
    assertThat(c.waitStrategy()).isEqualTo(JournalConfig.WaitStrategy.BUSY_SPIN);
    assertThat(c.rollCycle()).isEqualTo(JournalConfig.RollCycle.FAST_DAILY);
    assertThat(c.retentionMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(c.retentionMaxBytes()).isEqualTo(10L << 30);
  }
}
