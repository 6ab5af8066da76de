package io.meshlog.eventlog.journal;

import java.io.File;

/**
 * Where the journal writer is, as of its last batch: what {@link Preallocator} follows. Both values
 * are published by the journal thread and may be read from any thread.
 */
interface WriterPosition {
  /** The cycle file being written; null before the first append. */
  File currentFile();

  /** Byte offset in {@link #currentFile()} just past the last record. */
  long writePosition();
}
