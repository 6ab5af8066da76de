package io.meshlog.tools.crash;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.VerifyReport;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * What a killed node left on disk, read while no node runs: the journal from its first record to
 * its last, which node sequences it holds, the highest Lamport time in it, and whether the
 * projections equal a rebuild from the journal up to their checkpoint.
 *
 * @param records records read, start to end
 * @param lastSequence highest node sequence in the journal; -1 when empty
 * @param missingUpTo how many sequences {@code 0..acked} are not in the journal (lost events)
 * @param duplicates records whose node sequence was already seen
 * @param maxLamport highest Lamport time of a published, delivered or stop record; 0 when none
 * @param readFailure why the journal does not read end to end; null when it does
 * @param projectionDifference the first difference between the projections and a rebuild; null when
 *     identical
 */
record JournalAudit(
    long records,
    long lastSequence,
    long missingUpTo,
    long duplicates,
    long maxLamport,
    String readFailure,
    String projectionDifference) {

  boolean clean() {
    return missingUpTo == 0
        && duplicates == 0
        && readFailure == null
        && projectionDifference == null;
  }

  /** Reads the journal and projections of {@code dataDir}; {@code acked} is the highest ack. */
  static JournalAudit of(Path dataDir, long acked) {
    long records = 0;
    long last = -1;
    long duplicates = 0;
    long maxLamport = 0;
    String failure = null;
    BitSet seen = new BitSet();
    try (JournalReader r = Journals.openReader(EventLog.journalDir(dataDir))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        records++;
        long seq = e.sequence();
        if (seq >= 0 && seq < Integer.MAX_VALUE) {
          if (seen.get((int) seq)) {
            duplicates++;
          }
          seen.set((int) seq);
        }
        last = Math.max(last, seq);
        // The times the clock must never fall behind: what this node sent or delivered.
        EventType t = e.type();
        if (t == EventType.PUBLISH_MESSAGE
            || t == EventType.DELIVER_MESSAGE
            || t == EventType.NODE_STOPPED) {
          maxLamport = Math.max(maxLamport, e.lamport());
        }
      }
    } catch (RuntimeException ex) {
      failure = ex.toString();
    }
    long missing = 0;
    if (acked >= 0) {
      int upTo = (int) Math.min(acked, Integer.MAX_VALUE - 1L);
      missing = (upTo + 1L) - seen.get(0, upTo + 1).cardinality();
    }
    String difference;
    try (JournalReader r = Journals.openReader(EventLog.journalDir(dataDir))) {
      VerifyReport report =
          Projections.verify(EventLog.projectionsDir(dataDir), ProjectionConfig.defaults(), r);
      difference = report.firstDifference();
    } catch (RuntimeException ex) {
      difference = "verify failed: " + ex;
    }
    return new JournalAudit(records, last, missing, duplicates, maxLamport, failure, difference);
  }
}
