package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/** Opening Chronicle queues the way the journal needs them, and listing their cycle files. */
final class Queues {
  static final String CYCLE_SUFFIX = ".cq4";

  static {
    // Chronicle reaches for these before its first use; set them unless the operator did.
    defaultProperty("chronicle.analytics.disable", "true");
    defaultProperty("chronicle.announcer.disable", "true");
    defaultProperty("chronicle.disk.monitor.disable", "true");
    // Chronicle checks on every write that an appender or mapping is used by one thread only: ~10 %
    // of the journal thread's CPU per event. The journal holds that rule by construction (one
    // appender, created and used on the journal thread; each reader on its caller's thread).
    defaultProperty("disable.single.threaded.check", "true");
  }

  private Queues() {}

  /**
   * Opens (creating) the queue in {@code dir}; with a {@code rollCycle} it is opened to write and
   * records the journal format, without one only to read. Either way a newer format is refused.
   */
  static SingleChronicleQueue open(Path dir, RollCycle rollCycle, StoreFileListener listener) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, dir, "cannot open the journal: " + e.getMessage(), e);
    }
    if (rollCycle != null) {
      JournalFormat.claim(dir);
    } else {
      JournalFormat.checkReadable(dir);
    }
    try {
      SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.single(dir.toFile());
      if (rollCycle != null) {
        b.rollCycle(rollCycle);
      }
      if (listener != null) {
        b.storeFileListener(listener);
      }
      return b.build();
    } catch (RuntimeException e) {
      throw new JournalException(
          JournalException.Reason.IO, dir, "cannot open the journal: " + e.getMessage(), e);
    }
  }

  /** Opens an existing journal; its roll cycle is read from the queue's metadata. */
  static SingleChronicleQueue openExisting(Path dir, StoreFileListener listener) {
    if (!Files.isDirectory(dir)) {
      throw new JournalException(JournalException.Reason.IO, dir, "no journal directory");
    }
    if (cycleFiles(dir).isEmpty()) {
      throw new JournalException(JournalException.Reason.IO, dir, "no journal cycle files");
    }
    return open(dir, null, listener);
  }

  static RollCycle rollCycle(JournalConfig.RollCycle cycle) {
    if (cycle == JournalConfig.RollCycle.TEST_SECONDLY) {
      return TestRollCycles.TEST_SECONDLY;
    }
    return RollCycles.valueOf(cycle.name());
  }

  /** Cycle files, oldest first (their names sort by time within one roll cycle). */
  static List<Path> cycleFiles(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + CYCLE_SUFFIX)) {
      for (Path p : ds) {
        files.add(p);
      }
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, dir, "cannot list the journal: " + e.getMessage(), e);
    }
    Collections.sort(files);
    return files;
  }

  /** The path of one cycle's file, named as Chronicle names it (the roll cycle's format, UTC). */
  static Path cycleFile(net.openhft.chronicle.queue.ChronicleQueue queue, int cycle) {
    RollCycle rc = queue.rollCycle();
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern(rc.format())
            .withZone(java.time.ZoneOffset.UTC);
    long millis = (long) cycle * rc.lengthInMillis();
    return queue
        .file()
        .toPath()
        .resolve(f.format(java.time.Instant.ofEpochMilli(millis)) + CYCLE_SUFFIX);
  }

  /** Total bytes of the journal's files (cycle files and queue metadata). */
  static long sizeOnDisk(Path dir) {
    long total = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        try {
          total += Files.size(p);
        } catch (IOException e) {
          // A file deleted by retention while we list: it no longer counts.
        }
      }
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, dir, "cannot list the journal: " + e.getMessage(), e);
    }
    return total;
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
