package io.meshlog.reconciliation.replay;

import java.nio.file.Path;

/**
 * A data directory replay cannot read: not a data directory, no journal, a damaged or unreadable
 * journal, a journal that does not say whose it is, or two directories of the same node. The
 * message names the path.
 */
public final class ReplayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path dataDir;

  public ReplayException(Path dataDir, String message, Throwable cause) {
    super(dataDir + ": " + message, cause);
    this.dataDir = dataDir;
  }

  /** The data directory concerned. */
  public Path dataDir() {
    return dataDir;
  }
}
