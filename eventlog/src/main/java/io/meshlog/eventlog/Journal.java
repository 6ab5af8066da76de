package io.meshlog.eventlog;

import java.nio.file.Path;

/**
 * meshlog's append-only journal: producers publish into a ring, one journal thread appends each
 * event as one record, then every {@link JournaledEventHandler} sees it, in journal order.
 *
 * <pre>
 *   producers ─publish─► ring (preallocated slots) ─► journal thread ─append─► cycle files
 *                                                       │ (gates)
 *                                                       ├─► handler 1 (own thread)
 *                                                       └─► handler n (own thread)
 * </pre>
 *
 * <p>The journal index (a long, strictly increasing, not contiguous across cycle files) addresses
 * one record. The node sequence, stored in each record, counts events from 0 and continues across
 * restarts.
 *
 * <p>Opened by {@link io.meshlog.eventlog.disk.Journals#open}. Thread-safe. {@link #close()} drains
 * the ring before closing files.
 */
public interface Journal extends AutoCloseable {

  /** Where producers publish; never null, the same instance every call. */
  EventSink sink();

  /** A new reader positioned at the start of the journal. The caller closes it. */
  JournalReader reader();

  /**
   * A named reader whose position survives restarts: it resumes after the last event its {@link
   * JournalReader#next(Event)} returned under the same name. The caller closes it.
   *
   * @param name letters, digits, '-', '_' and '.'
   */
  JournalReader tailer(String name);

  /** Journal index of the last event written, or -1 when nothing was written yet. */
  long appendedIndex();

  /** The current value of one counter. */
  long counter(JournalCounter counter);

  /** OK, LAGGING or FAILED with the reason. */
  JournalHealth health();

  /** Free slots in the ring right now: how many events producers can publish without waiting. */
  long ringRemainingCapacity();

  /** The ring's size in slots (the {@code journal.ringSize} setting). */
  long ringSize();

  /**
   * Total size of the journal's files. Cycle files are sparse and pre-sized by Chronicle in chunks,
   * so this apparent size runs ahead of the bytes written by up to one chunk per file; retention by
   * size counts the same way.
   */
  long sizeOnDiskBytes();

  /** The journal directory. */
  Path dir();

  /**
   * Stops accepting events, waits until every published event is journaled and handled, then closes
   * the files. Idempotent.
   */
  @Override
  void close();
}
