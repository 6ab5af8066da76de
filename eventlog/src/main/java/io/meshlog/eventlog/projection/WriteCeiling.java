package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The RocksDB write ceiling for the projections' own rows: how fast this disk and RocksDB take
 * exactly the rows (same columns, keys, values and batches) that applying a stream of events
 * produces, with no projection logic in the way. A projection can at best apply events at this
 * rate, so {@code meshlog bench} prints it next to the projection figure.
 *
 * <p>Two passes over fresh stores under {@code dir}: the first applies the events and records every
 * row it writes; the second, timed, writes the recorded rows again into an empty store with the
 * same options, committing where the first pass did. The recorded rows are held in memory (about
 * 100 bytes per message event), so callers measure a sample of a few million events.
 *
 * <p>For benchmarks only; not thread-safe.
 */
public final class WriteCeiling {
  private WriteCeiling() {}

  /**
   * Where a benchmark feeds its events: as {@link Projections#onJournaled}, without checked throws.
   */
  @FunctionalInterface
  public interface Applier {
    void apply(Event event, long journalIndex, boolean endOfBatch);
  }

  /**
   * Outcome of the timed pass.
   *
   * @param events events whose rows were written
   * @param rows rows (RocksDB puts) written
   * @param rowBytes key and value bytes written
   * @param batches write batches committed
   * @param elapsedNanos wall-clock time of the timed pass
   * @param cpuNanos process CPU time during it (RocksDB's threads included), -1 if unknown
   */
  public record Result(
      long events, long rows, long rowBytes, long batches, long elapsedNanos, long cpuNanos) {
    /** Events per wall-clock second whose rows RocksDB took. */
    public double eventsPerSecond() {
      return events * 1e9 / elapsedNanos;
    }

    /** Events per second of process CPU, or -1 if unknown. */
    public double eventsPerCpuSecond() {
      return cpuNanos <= 0 ? -1 : events * 1e9 / cpuNanos;
    }
  }

  /**
   * Measures the ceiling for the events {@code feed} applies to the handler it is given.
   *
   * @param dir a missing or empty directory; two stores are made under it and left in place
   * @throws ProjectionException when RocksDB fails
   */
  public static Result measure(Path dir, ProjectionConfig config, Consumer<Applier> feed) {
    RowLog log = new RowLog();
    long[] events = new long[1];
    try (ProjectionStore store = ProjectionStore.open(dir.resolve("rows"), config)) {
      ProjectionWriter writer =
          new ProjectionWriter(
              store, io.meshlog.eventlog.metrics.CounterSet.of(ProjectionCounter.class));
      store.record(log);
      feed.accept(
          (event, index, endOfBatch) -> {
            events[0]++;
            writer.apply(event, index, endOfBatch);
          });
      writer.commit();
    }
    try (ProjectionStore store = ProjectionStore.open(dir.resolve("ceiling"), config)) {
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      log.replay(store);
      long elapsed = System.nanoTime() - start;
      cpu = cpu < 0 ? -1 : processCpuNanos() - cpu;
      return new Result(events[0], log.rows(), log.rowBytes(), log.batches(), elapsed, cpu);
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
