package io.meshlog.export.testing;

import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.kafka.KafkaShipper;
import java.nio.file.Path;

/**
 * Measures the backlog drain rate by hand: ships a full journal (see {@link FillJournal}) from its
 * start to a topic, {@code runs} times (the position reset in between), and prints events/s of each
 * run: {@code java -cp <test classpath> io.meshlog.export.testing.DrainRate DATA_DIR BOOTSTRAP
 * TOPIC RUNS}. Each run checks that every record was acknowledged. Not a test.
 */
public final class DrainRate {
  private DrainRate() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[3]);
    long expected = ShippedJournals.records(dataDir).size();
    for (int r = 0; r < runs; r++) {
      RetentionHold.write(EventLog.journalDir(dataDir), KafkaShipper.HOLD, -1, "");
      ExportConfig config = ExportConfig.builder().bootstrapServers(args[1]).topic(args[2]).build();
      long t0 = System.nanoTime();
      long shipped;
      try (KafkaShipper s =
          KafkaShipper.open(dataDir, config, null, CounterSet.of(ExportCounter.class))) {
        shipped = s.run(true);
      }
      long ns = System.nanoTime() - t0;
      if (shipped != expected) {
        throw new IllegalStateException("shipped " + shipped + " of " + expected);
      }
      System.out.printf(
          "run %d: %d events in %.2f s = %.0f events/s%n",
          r + 1, shipped, ns / 1e9, shipped * 1e9 / ns);
    }
  }
}
