package io.meshlog.jmx;

import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.projection.ProjectionCounter;
import io.meshlog.eventlog.projection.Projections;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Publishes the journal's and the projections' declared counters as meters, named after the counter
 * enums ({@code journal.events.appended}, {@code projection.applied.index}...). Positions (indexes,
 * sequences) are gauges; everything else is a monotonic counter.
 */
public final class EventLogMeters {

  private EventLogMeters() {}

  /** Binds every {@link JournalCounter} and {@link ProjectionCounter}; read on demand. */
  public static void bind(
      MeshlogMetrics metrics, Journal journal, Supplier<Projections> projections) {
    for (JournalCounter c : JournalCounter.values()) {
      if (c == JournalCounter.APPENDED_INDEX || c == JournalCounter.NODE_SEQUENCE) {
        metrics.gauge(c.counterName(), c.description(), () -> journal.counter(c));
      } else {
        metrics.counter(c.counterName(), c.description(), () -> journal.counter(c));
      }
    }
    metrics.gauge(
        "journal.size.bytes",
        "bytes the journal's cycle files take on disk",
        journal::sizeOnDiskBytes);
    for (ProjectionCounter c : ProjectionCounter.values()) {
      String name = c.label().toLowerCase(Locale.ROOT).replace(' ', '.');
      if (c == ProjectionCounter.APPLIED_INDEX || c == ProjectionCounter.APPLIED_SEQUENCE) {
        metrics.gauge(name, c.description(), () -> read(projections, c));
      } else {
        metrics.counter(name, c.description(), () -> (long) read(projections, c));
      }
    }
  }

  private static double read(Supplier<Projections> projections, ProjectionCounter c) {
    Projections p = projections.get();
    return p == null ? Double.NaN : p.counter(c);
  }
}
