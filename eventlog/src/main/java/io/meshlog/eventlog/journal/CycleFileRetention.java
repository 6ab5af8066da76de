package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.metrics.CounterSet;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes closed cycle files, oldest first, while they are older than the maximum age (by last
 * modification, i.e. their last record) or the journal is larger than the maximum size. The newest
 * cycle file and the one the writer holds are never deleted. Runs on the housekeeping thread, never
 * on the journal thread.
 *
 * <p>A {@link RetentionHold} (a reader such as the Kafka shipper that has not read everything yet)
 * keeps the cycle files from its {@code keepFrom} on; with {@code ignoreHolds} they are deleted all
 * the same, each with a WARN line and {@link JournalCounter#UNSHIPPED_DELETED}.
 */
final class CycleFileRetention implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CycleFileRetention.class);

  private final Path dir;
  private final long maxAgeMillis;
  private final long maxBytes;
  private final CounterSet<JournalCounter> counters;
  private final Supplier<File> writerFile;
  private final Runnable afterDelete;
  private final boolean ignoreHolds;
  private boolean holding;

  CycleFileRetention(
      Path dir,
      Duration maxAge,
      long maxBytes,
      boolean ignoreHolds,
      CounterSet<JournalCounter> counters,
      Supplier<File> writerFile,
      Runnable afterDelete) {
    this.ignoreHolds = ignoreHolds;
    this.dir = dir;
    this.maxAgeMillis = maxAge.toMillis();
    this.maxBytes = maxBytes;
    this.counters = counters;
    this.writerFile = writerFile;
    this.afterDelete = afterDelete;
  }

  boolean enabled() {
    return maxAgeMillis > 0 || maxBytes > 0;
  }

  @Override
  public void run() {
    List<Path> files = Queues.cycleFiles(dir);
    if (files.size() <= 1) {
      return;
    }
    File current = writerFile.get();
    long total = Queues.sizeOnDisk(dir);
    long cutoff = System.currentTimeMillis() - maxAgeMillis;
    String keepFrom = RetentionHold.keepFrom(dir).orElse(null);
    boolean held = false;
    int deleted = 0;
    for (Path file : files.subList(0, files.size() - 1)) {
      if (current != null && file.toAbsolutePath().equals(current.toPath().toAbsolutePath())) {
        break;
      }
      try {
        boolean tooOld = maxAgeMillis > 0 && Files.getLastModifiedTime(file).toMillis() < cutoff;
        boolean tooBig = maxBytes > 0 && total > maxBytes;
        if (!tooOld && !tooBig) {
          break;
        }
        boolean unshipped =
            keepFrom != null && file.getFileName().toString().compareTo(keepFrom) >= 0;
        if (unshipped && !ignoreHolds) {
          held = true;
          break;
        }
        long size = Files.size(file);
        Files.delete(file);
        total -= size;
        deleted++;
        counters.increment(JournalCounter.CYCLES_DELETED);
        counters.add(JournalCounter.BYTES_DELETED, size);
        LOG.info(
            "retention deleted {} ({} bytes, {})",
            file,
            size,
            tooOld ? "older than maxAge" : "journal over maxBytes");
        if (unshipped) {
          counters.increment(JournalCounter.UNSHIPPED_DELETED);
          LOG.warn(
              "retention deleted {} although a retention hold in {} still needed it "
                  + "(journal.retention.ignoreHolds=true): its events were never shipped",
              file,
              RetentionHold.folder(dir));
        }
      } catch (IOException e) {
        LOG.warn("retention could not delete {}: {}", file, e.toString());
        break;
      }
    }
    if (held != holding) {
      holding = held;
      LOG.info(
          held
              ? "retention keeps cycle files from {} on: a retention hold in {} has not read them"
              : "retention hold from {} in {} no longer keeps files retention would delete",
          keepFrom == null || keepFrom.isEmpty() ? "the first" : keepFrom,
          RetentionHold.folder(dir));
    }
    if (deleted > 0) {
      afterDelete.run();
    }
  }
}
