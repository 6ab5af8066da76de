package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The journal directory's format, in a one-line file {@value #FILE} next to the cycle files: {@code
 * meshlog journal format 1}. The format covers what the record schema does not: the queue layout
 * (Chronicle's cycle files and metadata) and how records sit in it. A meshlog that finds a newer
 * format refuses the directory, naming both versions, rather than misread it; a directory without
 * the file is a journal written before it existed (format 1), read as such. Writers add the file
 * when it is missing.
 */
final class JournalFormat {
  /** The format this meshlog writes and the newest it reads. */
  static final int CURRENT = 1;

  static final String FILE = "meshlog-journal.format";
  private static final String PREFIX = "meshlog journal format ";

  private JournalFormat() {}

  /**
   * Checks that this meshlog can read the journal in {@code dir}.
   *
   * @throws JournalException VERSION_UNSUPPORTED for a newer format, CORRUPT for an unreadable file
   */
  static void checkReadable(Path dir) {
    int format = read(dir);
    if (format > CURRENT) {
      throw new JournalException(
          JournalException.Reason.VERSION_UNSUPPORTED,
          dir.resolve(FILE),
          "journal format "
              + format
              + " was written by a newer meshlog; this one reads formats up to "
              + CURRENT);
    }
  }

  /** As {@link #checkReadable}, then records the current format if the file is missing. */
  static void claim(Path dir) {
    checkReadable(dir);
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      return;
    }
    try {
      Path tmp = Files.createTempFile(dir, FILE, ".tmp");
      Files.writeString(tmp, PREFIX + CURRENT + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, file, "cannot write the journal format: " + e, e);
    }
  }

  /** The format recorded in {@code dir}, {@link #CURRENT} when there is no record of it. */
  static int read(Path dir) {
    Path file = dir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return 1;
    } catch (IOException e) {
      throw new JournalException(
          JournalException.Reason.IO, file, "cannot read the journal format: " + e, e);
    }
    if (text.startsWith(PREFIX)) {
      try {
        int format = Integer.parseInt(text.substring(PREFIX.length()));
        if (format >= 1) {
          return format;
        }
      } catch (NumberFormatException ignored) {
        // Falls through to the error below, which quotes the file.
      }
    }
    throw new JournalException(
        JournalException.Reason.CORRUPT, file, "not a journal format line: '" + text + "'");
  }
}
