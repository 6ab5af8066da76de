package io.meshlog.eventlog;

import io.meshlog.eventlog.journal.RecordCopy;
import java.nio.file.Path;

/**
 * Journals record by record, as stored: for shipping a journal elsewhere (the Kafka shipper) and
 * for laying it down again at the same journal indexes (replay from Kafka). Records are the
 * journal's binary records ({@link EventCodec}), of every type, including types this version does
 * not know.
 */
public final class JournalCopy {
  private JournalCopy() {}

  /**
   * Opens a record reader on an existing journal directory (a running node's or a stopped one's),
   * positioned at the start.
   *
   * @throws JournalException when {@code journalDir} holds no journal or it cannot be read
   */
  public static Source openSource(Path journalDir) {
    return RecordCopy.openSource(journalDir);
  }

  /**
   * Opens (or creates) a journal directory to write records at given indexes, with the roll cycle
   * of the journal the records come from.
   *
   * @throws JournalException when the directory cannot be opened
   */
  public static Target openTarget(Path journalDir, JournalConfig.RollCycle rollCycle) {
    return RecordCopy.openTarget(journalDir, rollCycle);
  }

  /**
   * Reads records forwards. Not thread-safe: one thread owns it. A cycle file deleted before the
   * reader reaches it is stepped over.
   */
  public interface Source extends AutoCloseable {
    /** The journal's roll cycle, which with an index gives the record's cycle file. */
    JournalConfig.RollCycle rollCycle();

    /** Positions after {@code index}; -1 (or an index before the first record): the start. */
    void toAfter(long index);

    /**
     * Reads the next record into {@link #buffer()}.
     *
     * @return its journal index, or -1 when there is none now
     * @throws JournalException (CORRUPT) when a cycle file cannot be read
     */
    long next();

    /** The last record read, from offset 0; valid until the next call. */
    byte[] buffer();

    /** Length of the last record read. */
    int length();

    /**
     * Decodes the last record of the journal into {@code into} (any thread that owns this source).
     *
     * @return its index, or -1 when the journal has no event yet
     */
    long readLast(Event into);

    /** The name of the cycle file that holds {@code index}, as retention holds name files. */
    String cycleFileName(long index);

    @Override
    void close();
  }

  /** Writes records at the indexes they had. Not thread-safe. */
  public interface Target extends AutoCloseable {
    /**
     * Writes {@code record[offset, offset + length)} at journal index {@code index}.
     *
     * @return false when the index cannot be kept (it is not the next index of its cycle file, or
     *     lies before the last one written): then the record was not written
     */
    boolean append(long index, byte[] record, int offset, int length);

    /**
     * Writes a record at the next index of the current cycle: for a record whose own index cannot
     * be kept (its predecessors are gone).
     *
     * @return the index it was written at
     */
    long appendNext(byte[] record, int offset, int length);

    @Override
    void close();
  }
}
