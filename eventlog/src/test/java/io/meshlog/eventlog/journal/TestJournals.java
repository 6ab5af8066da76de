package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import net.openhft.chronicle.core.time.SystemTimeProvider;

/** What tests outside this package need to see of, or do to, a {@link ChronicleJournal}. */
public final class TestJournals {
  private TestJournals() {}

  /** Runs the journal's retention once, now, and returns when it has finished. */
  public static void runRetentionNow(Journal journal) {
    ((ChronicleJournal) journal).runRetentionNow();
  }

  /** The roll cycle a journal index belongs to. */
  public static int cycleOf(JournalConfig.RollCycle rollCycle, long index) {
    return Queues.rollCycle(rollCycle).toCycle(index);
  }

  /** The roll cycle the wall clock is in now, the one a record written now goes into. */
  public static int currentCycle(JournalConfig.RollCycle rollCycle) {
    return Queues.rollCycle(rollCycle).current(SystemTimeProvider.INSTANCE, 0);
  }
}
