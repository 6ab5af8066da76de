package io.meshlog.eventlog.projection;

import java.nio.file.Path;

/**
 * A projection store could not be opened, read or written. The {@link #reason()} says what the
 * caller can do about it; the message names the directory.
 */
public final class ProjectionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the store failed. */
  public enum Reason {
    /** The directory was written by a newer meshlog (higher schema version); not touched. */
    VERSION_UNSUPPORTED,
    /** The directory is unreadable as a projection store; rebuild it from the journal. */
    CORRUPT,
    /** A RocksDB read or write failed (disk full, I/O error, lock held by another process). */
    STORAGE
  }

  private final Reason reason;
  private final Path directory;

  public ProjectionException(Reason reason, Path directory, String message, Throwable cause) {
    super(reason + ": " + message + " (projections directory " + directory + ")", cause);
    this.reason = reason;
    this.directory = directory;
  }

  public Reason reason() {
    return reason;
  }

  public Path directory() {
    return directory;
  }
}
