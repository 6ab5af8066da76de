package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportCounter;
import io.meshlog.jmx.view.Health;
import java.util.function.Supplier;

/**
 * The health of a Kafka shipper, read from its counters: OK while Kafka acknowledges (and when no
 * shipper runs: its counters stay zero); LAGGING once sends have failed since the last record Kafka
 * acknowledged, because the broker is down or slow and the journal keeps what waits. A shipping
 * node's health is the worse of this and its journal's; {@code meshlog ship} serves it alone.
 *
 * <p>Thread-safe.
 */
public final class ExportHealth implements Supplier<Health> {
  private final CounterSet<ExportCounter> counters;
  private long shippedSeen;
  private long failuresAtLastShipped;

  public ExportHealth(CounterSet<ExportCounter> counters) {
    this.counters = counters;
  }

  @Override
  public synchronized Health get() {
    long shipped = counters.get(ExportCounter.EVENTS_SHIPPED);
    long failures = counters.get(ExportCounter.SEND_FAILURES);
    if (shipped != shippedSeen) {
      shippedSeen = shipped;
      failuresAtLastShipped = failures;
    }
    long failing = failures - failuresAtLastShipped;
    if (failing > 0) {
      return Health.lagging(
          "Kafka sends failed "
              + failing
              + " times since the last acknowledged record; "
              + counters.get(ExportCounter.LAG_EVENTS)
              + " events wait in the journal");
    }
    return Health.OK;
  }
}
