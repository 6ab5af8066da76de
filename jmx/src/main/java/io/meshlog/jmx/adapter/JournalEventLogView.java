package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalHealth;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.jmx.view.EventLogView;
import io.meshlog.jmx.view.Health;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link EventLogView} of a real {@link Journal} and its {@link Projections}.
 *
 * <p>The projections are read through a supplier because a rebuild replaces them; it may return
 * null while there are none (then the applied index reads -1 and the lag -1). A rebuild needs the
 * owner's cooperation (the projections may be a handler of the journal's pipeline), so the owner
 * passes how to rebuild; without it, {@code rebuild()} refuses with the reason.
 *
 * <p>Thread-safe as far as its sources are: the journal and the projections' views are.
 */
public final class JournalEventLogView implements EventLogView {

  private final Journal journal;
  private final Supplier<Projections> projections;
  private final LongSupplier rebuild;

  /**
   * @param rebuild rebuilds the projections from the journal and returns their applied index; null
   *     when this process cannot rebuild them while running
   */
  public JournalEventLogView(
      Journal journal, Supplier<Projections> projections, LongSupplier rebuild) {
    this.journal = journal;
    this.projections = projections;
    this.rebuild = rebuild;
  }

  @Override
  public long appendedIndex() {
    return journal.appendedIndex();
  }

  @Override
  public long eventsAppended() {
    return journal.counter(JournalCounter.EVENTS_APPENDED);
  }

  @Override
  public long ringRemainingCapacity() {
    return journal.ringRemainingCapacity();
  }

  @Override
  public long backpressureStalls() {
    return journal.counter(JournalCounter.RING_STALLS);
  }

  @Override
  public long journalSizeBytes() {
    return journal.sizeOnDiskBytes();
  }

  @Override
  public Health health() {
    Health health = of(journal.health());
    Projections p = projections.get();
    if (p != null && !p.healthy()) {
      health =
          health.worst(
              Health.failed(
                  "projections: a commit failed; they resume from their checkpoint when reopened"));
    }
    return health;
  }

  static Health of(JournalHealth h) {
    switch (h.state()) {
      case OK:
        return Health.OK;
      case LAGGING:
        return Health.lagging("journal: " + h.reason());
      default:
        // The reason is usually the failure's message, which starts with its name already.
        String failure = h.failure() == null ? "" : h.failure().toString();
        String reason = h.reason();
        return Health.failed(
            "journal: "
                + (failure.isEmpty() || reason.startsWith(failure)
                    ? reason
                    : failure + ": " + reason));
    }
  }

  @Override
  public long unshippedCyclesDeleted() {
    return journal.counter(JournalCounter.UNSHIPPED_DELETED);
  }

  @Override
  public long appliedIndex() {
    Projections p = projections.get();
    return p == null ? -1 : p.appliedIndex();
  }

  /** Journal node sequence minus the projections' applied sequence: events, not index steps. */
  @Override
  public long projectionLag() {
    Projections p = projections.get();
    if (p == null) {
      return -1;
    }
    return Math.max(0, journal.counter(JournalCounter.NODE_SEQUENCE) - p.appliedSequence());
  }

  @Override
  public long rebuildProjections() {
    if (rebuild == null) {
      throw new IllegalStateException(
          "this process cannot rebuild its projections while running; stop the node and run"
              + " `meshlog rebuild`");
    }
    return rebuild.getAsLong();
  }
}
