package io.meshlog.export.testing;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a node journal of N gossip-sized events (NODE_STARTED, then deliveries of 100-byte
 * messages) for measuring the shipper's drain rate by hand: {@code java -cp <test classpath>
 * io.meshlog.export.testing.FillJournal DATA_DIR N}. Not a test.
 */
public final class FillJournal {
  private FillJournal() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    byte[] peer = ShippedJournals.peer(9);
    byte[] payload = new byte[100];
    try (Journal j =
        Journals.open(
            JournalConfig.builder(EventLog.journalDir(dataDir)).preallocateBytes(0).build(),
            List.of())) {
      j.sink().publish(new Event().type(EventType.NODE_STARTED).peer(peer).text("fill"));
      Event e = new Event();
      for (long i = 0; i < n; i++) {
        e.clear()
            .type(EventType.DELIVER_MESSAGE)
            .topic("bench")
            .peer(peer)
            .origin(peer)
            .originSeqno(i)
            .lamport(i)
            .messageId(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16), (byte) (i >> 24)})
            .size(payload.length)
            .data(payload);
        j.sink().publish(e);
      }
      while (j.counter(JournalCounter.EVENTS_APPENDED) < n + 1) {
        Thread.onSpinWait();
      }
    }
    System.out.println("wrote " + (n + 1) + " events to " + dataDir);
  }
}
