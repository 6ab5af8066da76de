package io.meshlog.export.testing;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small node journals on disk for the export tests, and their records as stored. */
public final class ShippedJournals {
  private ShippedJournals() {}

  /** One stored record: its index and bytes. */
  public record Stored(long index, byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Stored s && s.index == index && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(index) * 31 + Arrays.hashCode(bytes);
    }
  }

  /** A journal config for a data dir, with small files. */
  public static JournalConfig config(Path dataDir) {
    return JournalConfig.builder(EventLog.journalDir(dataDir))
        .ringSize(4096)
        .preallocateBytes(0)
        .build();
  }

  /** A node's peer id: a made-up identity multihash. */
  public static byte[] peer(int n) {
    byte[] p = new byte[38];
    p[0] = 0;
    p[1] = 36;
    Arrays.fill(p, 2, p.length, (byte) (n * 7 + 1));
    return p;
  }

  /**
   * Appends a NODE_STARTED of {@code peer} (when {@code started}) and {@code events} deliveries to
   * the journal of {@code dataDir}, and returns when they are on disk.
   */
  public static void append(Path dataDir, byte[] peer, boolean started, int from, int events) {
    try (Journal j = Journals.open(config(dataDir), List.of())) {
      long before = j.counter(JournalCounter.EVENTS_APPENDED);
      int n = 0;
      if (started) {
        j.sink().publish(new Event().type(EventType.NODE_STARTED).peer(peer).text("test"));
        n++;
      }
      for (int i = from; i < from + events; i++) {
        j.sink()
            .publish(
                new Event()
                    .type(EventType.DELIVER_MESSAGE)
                    .topic("t")
                    .origin(peer)
                    .originSeqno(i)
                    .messageId(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .data(("payload " + i).getBytes(StandardCharsets.UTF_8)));
        n++;
      }
      int total = n;
      Await.until(
          "events journaled",
          // at least: an append that straddles an hour adds the journal's own JOURNAL_CYCLE
          () -> j.counter(JournalCounter.EVENTS_APPENDED) >= before + total);
    }
  }

  /** Every record of the journal of {@code dataDir}, as stored. */
  public static List<Stored> records(Path dataDir) {
    List<Stored> out = new ArrayList<>();
    try (JournalCopy.Source s = Journals.openCopySource(EventLog.journalDir(dataDir))) {
      long i;
      while ((i = s.next()) >= 0) {
        out.add(new Stored(i, Arrays.copyOf(s.buffer(), s.length())));
      }
    }
    return out;
  }
}
