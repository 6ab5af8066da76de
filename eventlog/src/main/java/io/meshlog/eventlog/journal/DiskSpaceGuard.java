package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reports the disk full (STORAGE_FULL, naming the directory) before it actually is: a write into a
 * memory-mapped page the disk cannot back would otherwise crash the process. Space must come back
 * to a quarter above the limit (at least 1 MiB above) before the journal writes again, so that it
 * does not flap at the limit. Runs periodically on the housekeeping thread.
 */
final class DiskSpaceGuard implements Runnable {
  private final Path dir;
  private final long minFreeBytes;
  private final JournalState state;
  private final FileStore store;

  DiskSpaceGuard(Path dir, long minFreeBytes, JournalState state) throws IOException {
    this.dir = dir;
    this.minFreeBytes = minFreeBytes;
    this.state = state;
    this.store = Files.getFileStore(dir);
  }

  @Override
  public void run() {
    if (minFreeBytes <= 0 || state.failure() != null) {
      return;
    }
    try {
      long free = store.getUsableSpace();
      long limit = state.isFull() ? resumeAt() : minFreeBytes;
      state.guardSaysFull(
          dir,
          free < limit
              ? "disk almost full: " + free + " bytes free, journal.minFreeBytes=" + minFreeBytes
              : null);
    } catch (IOException e) {
      state.fail(JournalException.Reason.IO, dir, "cannot read free disk space: " + e, e);
    }
  }

  private long resumeAt() {
    return minFreeBytes + Math.max(1L << 20, minFreeBytes / 4);
  }
}
