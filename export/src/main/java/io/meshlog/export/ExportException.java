package io.meshlog.export;

import java.nio.file.Path;

/** The shipper or the replay reader cannot go on: why, and the directory or topic concerned. */
public final class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }

  public ExportException(Path where, String message) {
    super(where + ": " + message);
  }
}
