package io.meshlog.eventlog.disk;

import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.journal.ChronicleJournal;
import io.meshlog.eventlog.journal.RecordCopy;
import java.nio.file.Path;
import java.util.List;

/** Opens journals: to write ({@link Journal}), to read, and to copy record by record. */
public final class Journals {
  private Journals() {}

  /**
   * Opens (or creates) the journal in {@link JournalConfig#dir()} and starts its threads.
   *
   * @param handlers consumers run after the journal, each on its own thread; may be empty
   * @throws JournalException when the directory cannot be opened (reason IO, CORRUPT...)
   */
  public static Journal open(JournalConfig config, List<? extends JournaledEventHandler> handlers) {
    return ChronicleJournal.open(config.validate(), handlers);
  }

  /**
   * Opens a reader on an existing journal directory without starting a writer: for tools that read
   * a journal another process may be writing.
   *
   * @throws JournalException when {@code dir} holds no journal or it cannot be read
   */
  public static JournalReader openReader(Path dir) {
    return ChronicleJournal.openReader(dir);
  }

  /**
   * Opens a record reader on an existing journal directory (a running node's or a stopped one's),
   * positioned at the start.
   *
   * @throws JournalException when {@code journalDir} holds no journal or it cannot be read
   */
  public static JournalCopy.Source openCopySource(Path journalDir) {
    return RecordCopy.openSource(journalDir);
  }

  /**
   * Opens (or creates) a journal directory to write records at given indexes, with the roll cycle
   * of the journal the records come from.
   *
   * @throws JournalException when the directory cannot be opened
   */
  public static JournalCopy.Target openCopyTarget(
      Path journalDir, JournalConfig.RollCycle rollCycle) {
    return RecordCopy.openTarget(journalDir, rollCycle);
  }
}
