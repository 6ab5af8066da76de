package io.meshlog.eventlog;

/**
 * Journals record by record, as stored: for shipping a journal elsewhere (the Kafka shipper) and
 * for laying it down again at the same journal indexes (replay from Kafka). Records are the
 * journal's binary records ({@link EventCodec}), of every type, including types this version does
 * not know. Opened by {@link io.meshlog.eventlog.disk.Journals#openCopySource} and {@link
 * io.meshlog.eventlog.disk.Journals#openCopyTarget}.
 */
public final class JournalCopy {
  private JournalCopy() {}

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
