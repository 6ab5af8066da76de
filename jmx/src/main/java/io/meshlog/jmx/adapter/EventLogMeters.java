package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.metrics.CounterKind;
import io.meshlog.eventlog.projection.ProjectionCounter;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.jmx.MeshlogMetrics;
import java.util.function.Supplier;

/**
 * Exports the journal's and the projections' declared counters ({@code
 * meshlog.journal.events.appended}, {@code meshlog.projection.applied.index}...). Positions are
 * gauges; everything else is a monotonic counter.
 */
public final class EventLogMeters {

  private EventLogMeters() {}

  /**
   * Binds every {@link JournalCounter} and {@link ProjectionCounter}, read on demand. While {@code
   * projections} supplies null (a rebuild), projection counters read 0 and positions -1.
   */
  public static void bind(
      MeshlogMetrics metrics, Journal journal, Supplier<Projections> projections) {
    metrics.bind(JournalCounter.class, journal::counter);
    metrics.bind(
        ProjectionCounter.class,
        c -> {
          Projections p = projections.get();
          return p != null ? p.counter(c) : c.kind() == CounterKind.POSITION ? -1 : 0;
        });
  }
}
