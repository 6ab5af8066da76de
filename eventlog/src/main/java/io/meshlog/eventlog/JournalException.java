package io.meshlog.eventlog;

import java.nio.file.Path;

/**
 * A journal failure with a reason a caller can act on and the file it concerns: a corrupt or
 * truncated cycle file, a full disk, a record or file from an unsupported version, or plain I/O.
 */
public final class JournalException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the journal failed. */
  public enum Reason {
    /** A cycle file or record cannot be parsed: truncated, overwritten, not a journal. */
    CORRUPT,
    /** The disk holding the journal is full (or below the configured free-space floor). */
    STORAGE_FULL,
    /** The file or record was written by a format this version cannot read. */
    VERSION_UNSUPPORTED,
    /** Any other I/O failure. */
    IO
  }

  private final Reason reason;
  private final Path file;

  public JournalException(Reason reason, Path file, String message, Throwable cause) {
    super(reason + ": " + message + (file == null ? "" : " [" + file + "]"), cause);
    this.reason = reason;
    this.file = file;
  }

  public JournalException(Reason reason, Path file, String message) {
    this(reason, file, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The file (or journal directory) concerned; may be null when unknown. */
  public Path file() {
    return file;
  }
}
