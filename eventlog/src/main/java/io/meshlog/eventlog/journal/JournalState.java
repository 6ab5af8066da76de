package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalHealth;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the journal still accepts events: open, closed, failed with a reason, or out of disk.
 *
 * <p>A failure is final: the first one wins and is logged once; publish then throws with it. A full
 * disk is not: while the free-space guard or the preallocator reports it, events are still accepted
 * and the journal thread counts them instead of writing them; when both see space again the journal
 * writes once more, starting with one {@code EVENTS_NOT_JOURNALED} event that says how many it
 * could not write. Thread-safe.
 */
final class JournalState {
  private static final Logger LOG = LoggerFactory.getLogger(JournalState.class);

  private volatile boolean closed;
  private volatile JournalException failure;
  private volatile JournalException full;
  private boolean fullByGuard;
  private boolean fullByPreallocator;

  void checkAccepting() {
    JournalException f = failure;
    if (f != null) {
      throw new IllegalStateException("journal failed: " + f.getMessage(), f);
    }
    if (closed) {
      throw new IllegalStateException("journal closed");
    }
  }

  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Records a failure; only the first one is kept and logged. */
  synchronized void fail(JournalException.Reason reason, Path file, String message, Throwable t) {
    if (failure == null) {
      failure = new JournalException(reason, file, message, t);
      LOG.error("journal FAILED, no further events are accepted: {}", failure.getMessage(), t);
    }
  }

  JournalException failure() {
    return failure;
  }

  /** Whether the disk is full: events are counted, not written, until it has space again. */
  boolean isFull() {
    return full != null;
  }

  /** The free-space guard's finding, each time it looks: {@code message} when full, else null. */
  synchronized void guardSaysFull(Path dir, String message) {
    fullByGuard = message != null;
    update(dir, message, null);
  }

  /** The preallocator's finding: {@code t} when it could not reserve blocks, else null. */
  synchronized void preallocatorSaysFull(Path file, String message, Throwable t) {
    fullByPreallocator = message != null;
    update(file, message, t);
  }

  private void update(Path file, String message, Throwable t) {
    boolean nowFull = fullByGuard || fullByPreallocator;
    if (nowFull && full == null && message != null) {
      full = new JournalException(JournalException.Reason.STORAGE_FULL, file, message, t);
      LOG.error(
          "journal STORAGE_FULL, events are counted and not written until there is space: {}",
          full.getMessage());
    } else if (!nowFull && full != null) {
      LOG.warn("journal has disk space again and writes events: {}", file);
      full = null;
    }
  }

  JournalHealth failedHealth() {
    JournalException f = failure;
    if (f == null) {
      f = full;
    }
    return f == null ? null : JournalHealth.failed(f.reason(), f.getMessage());
  }
}
