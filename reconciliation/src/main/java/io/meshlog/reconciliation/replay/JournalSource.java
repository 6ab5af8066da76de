package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One node's journal as a stream of events for the merge: the reader, the event at its head, and
 * whose journal it is. Not thread-safe; owned by the replay thread.
 */
final class JournalSource implements AutoCloseable {
  final Path dataDir;
  final byte[] peerId;

  /** The event at the head of this stream, read in place; valid until {@link #advance()}. */
  final EventView head = new EventView();

  private final JournalReader reader;
  long headIndex = -1;

  /** {@code head}'s time, kept beside the index: the merge compares it for every event. */
  long headTime;

  long eventsRead;

  /** Position in peer-id order, set before merging; breaks ties between equal times. */
  int node;

  private JournalSource(Path dataDir, JournalReader reader, byte[] peerId) {
    this.dataDir = dataDir;
    this.reader = reader;
    this.peerId = peerId;
  }

  /**
   * Opens {@code dataDir/journal} and finds whose journal it is: the peer of its first NODE_STARTED
   * or, when retention deleted that, of the JOURNAL_CYCLE the journal wrote into each later cycle
   * file; failing both (a journal of an older meshlog), the origin of its first own publication.
   *
   * @throws ReplayException naming the directory when it is not a readable node data directory
   */
  static JournalSource open(Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      throw new ReplayException(dataDir, "not a directory", null);
    }
    Path journalDir = dataDir.resolve("journal");
    if (!Files.isDirectory(journalDir)) {
      throw new ReplayException(dataDir, "not a meshlog data directory (no journal/ in it)", null);
    }
    JournalReader reader;
    try {
      reader = Journals.openReader(journalDir);
    } catch (JournalException e) {
      throw new ReplayException(dataDir, "cannot open the journal: " + e.getMessage(), e);
    }
    try {
      byte[] peer = identify(reader);
      if (peer == null) {
        throw new ReplayException(
            dataDir,
            "the journal does not say whose it is (no NODE_STARTED or JOURNAL_CYCLE with a peer"
                + " id, no own publication)",
            null);
      }
      reader.toStart();
      return new JournalSource(dataDir, reader, peer);
    } catch (JournalException e) {
      reader.close();
      throw new ReplayException(dataDir, "damaged journal: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private static byte[] identify(JournalReader reader) {
    EventView e = new EventView();
    byte[] fallback = null;
    while (reader.next(e) >= 0) {
      if ((e.type() == EventType.NODE_STARTED || e.type() == EventType.JOURNAL_CYCLE)
          && e.peerLength() >= 0) {
        return e.peer();
      }
      if (fallback == null && e.type() == EventType.PUBLISH_MESSAGE && e.originLength() >= 0) {
        fallback = e.origin();
      }
    }
    return fallback;
  }

  /**
   * Reads the next event into {@link #head}.
   *
   * @return false at the end of the journal
   * @throws ReplayException when the journal is damaged at this point
   */
  boolean advance() {
    try {
      headIndex = reader.next(head);
    } catch (JournalException e) {
      headIndex = -1;
      throw new ReplayException(dataDir, "damaged journal: " + e.getMessage(), e);
    }
    if (headIndex < 0) {
      return false;
    }
    headTime = head.timeNanos();
    eventsRead++;
    return true;
  }

  @Override
  public void close() {
    reader.close();
  }
}
