package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalHealth;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the journal still accepts events: open, closed, or failed with a reason. The first
 * failure wins and is logged once; publish then throws with it. Thread-safe.
 */
final class JournalState {
  private static final Logger LOG = LoggerFactory.getLogger(JournalState.class);

  private volatile boolean closed;
  private volatile JournalException failure;

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

  JournalHealth failedHealth() {
    JournalException f = failure;
    return f == null ? null : JournalHealth.failed(f.reason(), f.getMessage());
  }
}
