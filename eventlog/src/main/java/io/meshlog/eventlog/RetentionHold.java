package io.meshlog.eventlog;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A retention hold: a small file in {@code <data-dir>/retention-holds/<name>.hold} that tells the
 * journal's retention (in whatever process runs it) not to delete cycle files a reader such as the
 * Kafka shipper has not read yet. It names the oldest cycle file that must be kept ({@code
 * keepFrom}; empty: keep every file) and the journal index of the last record the reader is done
 * with ({@code lastIndex}, -1 for none), which is also that reader's restart position.
 *
 * <pre>
 *   # meshlog retention hold
 *   lastIndex=123456789
 *   keepFrom=20261201-23.cq4
 * </pre>
 *
 * <p>Written by replacing the file atomically, so a reader never sees half of one. Retention keeps
 * every cycle file whose name sorts at or after the smallest {@code keepFrom} of all holds, unless
 * {@code journal.retention.ignoreHolds} is set; a hold file that cannot be read keeps everything.
 * Thread-safe (stateless).
 */
public final class RetentionHold {
  /** The folder beside the journal's folder that holds the hold files. */
  public static final String FOLDER = "retention-holds";

  private static final String SUFFIX = ".hold";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private RetentionHold() {}

  /** {@code <journal-dir>/../retention-holds}. */
  public static Path folder(Path journalDir) {
    Path parent = journalDir.toAbsolutePath().getParent();
    return (parent == null ? journalDir.toAbsolutePath() : parent).resolve(FOLDER);
  }

  /**
   * Replaces hold {@code name}: keep cycle files from {@code keepFrom} on; the holder is done with
   * records up to {@code lastIndex}.
   *
   * @param keepFrom a cycle file's name, or "" to keep every file
   * @throws JournalException (IO) when the file cannot be written
   */
  public static void write(Path journalDir, String name, long lastIndex, String keepFrom) {
    checkName(name);
    Path dir = folder(journalDir);
    Path file = dir.resolve(name + SUFFIX);
    Path tmp = dir.resolve(name + SUFFIX + ".tmp");
    Properties p = new Properties();
    p.setProperty("lastIndex", Long.toString(lastIndex));
    p.setProperty("keepFrom", keepFrom);
    try {
      Files.createDirectories(dir);
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "meshlog retention hold");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, file, "cannot write the retention hold: " + e, e);
    }
  }

  /**
   * The holder's last index: the {@code lastIndex} of hold {@code name}, or -1 when there is no
   * such hold.
   *
   * @throws JournalException (CORRUPT) when the file exists but cannot be read
   */
  public static long lastIndex(Path journalDir, String name) {
    checkName(name);
    Path file = folder(journalDir).resolve(name + SUFFIX);
    try {
      Properties p = read(file);
      return Long.parseLong(p.getProperty("lastIndex", "").trim());
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException | NumberFormatException e) {
      throw new JournalException(
          JournalException.Reason.CORRUPT, file, "unreadable retention hold: " + e, e);
    }
  }

  /**
   * The oldest cycle file any hold keeps: empty when there are no holds, "" when some hold keeps
   * every file (it is unreadable, or its holder has read nothing yet). Never throws: holds are read
   * by retention, which must keep going.
   */
  public static Optional<String> keepFrom(Path journalDir) {
    Path dir = folder(journalDir);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String oldest = null;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : ds) {
        String from;
        try {
          from = read(file).getProperty("keepFrom");
        } catch (NoSuchFileException e) {
          continue;
        } catch (IOException e) {
          from = "";
        }
        if (from == null) {
          from = "";
        }
        from = from.trim();
        if (oldest == null || from.compareTo(oldest) < 0) {
          oldest = from;
        }
      }
    } catch (IOException e) {
      return Optional.of("");
    }
    return Optional.ofNullable(oldest);
  }

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("hold name must match " + NAME + ": " + name);
    }
  }
}
