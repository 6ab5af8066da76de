package io.meshlog.bench.eventlog;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.ChronicleJournal;
import io.meshlog.eventlog.projection.WriteCeiling;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One benchmark run over 128-byte encoded events, every phase in a fresh journal under a temp
 * directory on the given (real) disk:
 *
 * <pre>
 *   (a) raw Chronicle append, one thread            baseline
 *   (b) pipeline publish → journaled, 1 producer     target >= 0.9 x (a) and >= 2M/s
 *       pipeline publish → journaled, 4 producers    target >= 0.8 x (a)
 *       journal thread alone (events per CPU-s)      target >= 0.9 x (a)
 *       raw Chronicle read (length + 8 bytes)        ceiling
 *   (c) journal read (decode every event)            target >= 10M/s, in place (EventView)
 *       journal read into Event objects              reference: the same checksum
 *   (d) projection apply                             target >= 1.5M/s
 *   (e) publish → journaled latency at a fixed rate  target p99 <= 1 ms, p99.9 <= 5 ms at 100k/s
 * </pre>
 *
 * <p>Each phase checks its own result (counts and content), so a fast wrong run fails with {@link
 * IllegalStateException} instead of printing a figure.
 */
public final class JournalBench {

  /** What to run; {@link #defaults(Path)} gives a run of about a minute. */
  public record Options(
      Path workDir,
      long events,
      long warmupEvents,
      int latencyRate,
      Duration latencyDuration,
      int ringSize,
      JournalConfig.WaitStrategy waitStrategy,
      long preallocateBytes,
      List<JournalConfig.WaitStrategy> latencyWaitStrategies) {

    /** The options of earlier runs: the latency phase runs with {@code waitStrategy} only. */
    public Options(
        Path workDir,
        long events,
        long warmupEvents,
        int latencyRate,
        Duration latencyDuration,
        int ringSize,
        JournalConfig.WaitStrategy waitStrategy,
        long preallocateBytes) {
      this(
          workDir,
          events,
          warmupEvents,
          latencyRate,
          latencyDuration,
          ringSize,
          waitStrategy,
          preallocateBytes,
          List.of(waitStrategy));
    }

    public Options {
      latencyWaitStrategies = List.copyOf(latencyWaitStrategies);
      if (latencyWaitStrategies.isEmpty()) {
        throw new IllegalArgumentException("at least one latency wait strategy");
      }
    }

    public static Options defaults(Path workDir) {
      return new Options(
          workDir,
          3_000_000,
          1_000_000,
          100_000,
          Duration.ofSeconds(15),
          1 << 16,
          JournalConfig.WaitStrategy.SLEEPING,
          JournalConfig.DEFAULT_PREALLOCATE_BYTES);
    }
  }

  /**
   * One printed figure and whether it met its target.
   *
   * @param count the events the phase wrote or read and checked
   */
  public record Figure(
      String name, double value, String unit, String target, boolean met, long count) {}

  public static final int RECORD_BYTES = 128;

  private final Options options;
  private final PrintWriter out;
  private final List<Figure> figures = new ArrayList<>();

  public JournalBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /**
   * Runs every phase and prints the figures with their targets.
   *
   * @return the figures, in the order printed
   * @throws IllegalStateException when a phase's self-check fails
   */
  public List<Figure> run() throws InterruptedException {
    Path root = createTempDir();
    try {
      out.printf(
          Locale.ROOT, "meshlog journal bench: %d-byte events, work dir %s%n", RECORD_BYTES, root);
      out.printf(
          Locale.ROOT,
          "machine: %d cores, %s%n",
          Runtime.getRuntime().availableProcessors(),
          load());
      out.flush();
      double raw = rawAppend(root.resolve("raw"));
      pipeline(root.resolve("warmup"), 1, options.warmupEvents());
      double p1 = pipelineFigure(root.resolve("pipeline-1"), 1, raw);
      double p4 = pipelineFigure(root.resolve("pipeline-4"), 4, raw);
      read(root.resolve("pipeline-4"));
      projectionApply(root.resolve("projections"));
      for (JournalConfig.WaitStrategy w : options.latencyWaitStrategies()) {
        latency(root.resolve("latency-" + w.name().toLowerCase(Locale.ROOT)), w);
      }
      out.flush();
      return List.copyOf(figures);
    } finally {
      deleteRecursively(root);
    }
  }

  /** The load average, so figures from a busy machine are read as such. */
  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return "load average " + f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "load average unknown";
    }
  }

  private Path createTempDir() {
    try {
      Files.createDirectories(options.workDir());
      return Files.createTempDirectory(options.workDir(), "meshlog-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An event whose encoding is {@link #RECORD_BYTES} long at a 3-byte node sequence. */
  static Event sampleEvent() {
    Event e =
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .timeNanos(1_763_000_000_000_000_000L)
            .sequence(100_000)
            .peer(new byte[38])
            .topic("bench/topic")
            .messageId(new byte[8])
            .origin(new byte[38])
            .originSeqno(7)
            .lamport(1234)
            .direction(Direction.INBOUND)
            .data(new byte[0]);
    EventCodec codec = new EventCodec();
    int missing = RECORD_BYTES - codec.encode(e);
    e.data(new byte[missing]);
    if (codec.encode(e) != RECORD_BYTES) {
      throw new IllegalStateException("sample event is " + codec.encode(e) + " bytes");
    }
    return e.sequence(Event.ABSENT).timeNanos(0);
  }

  private double rawAppend(Path dir) {
    Event sample = sampleEvent().sequence(100_000).timeNanos(1);
    EventCodec codec = new EventCodec();
    int len = codec.encode(sample);
    byte[] record = java.util.Arrays.copyOf(codec.buffer(), len);
    ChronicleJournal.rawAppend(
        dir.resolveSibling("raw-warmup"), record, len, options.warmupEvents());
    long cpu = threadCpuNanos();
    long nanos = ChronicleJournal.rawAppend(dir, record, len, options.events());
    cpu = threadCpuNanos() - cpu;
    double rate = options.events() * 1e9 / nanos;
    lastCpuRate = options.events() * 1e9 / cpu;
    rawCpuRate = lastCpuRate;
    report(
        "(a) raw Chronicle append, 1 thread", rate, "events/s", "baseline", true, options.events());
    return rate;
  }

  private double pipelineFigure(Path dir, int producers, double raw) throws InterruptedException {
    double rate = pipeline(dir, producers, options.events());
    long count = (options.events() / producers) * producers;
    double pipelineCpuRate = lastCpuRate;
    if (producers == 1) {
      report(
          "(b) pipeline publish->journaled, 1 producer",
          rate,
          "events/s",
          String.format(
              Locale.ROOT,
              ">= 0.9 x raw (%.2fM) and >= 2M; ratio %.2f",
              0.9 * raw / 1e6,
              rate / raw),
          rate >= 0.9 * raw && rate >= 2_000_000,
          count);
      // The pipeline's ceiling when the journal thread has a core of its own, set against the raw
      // append's own CPU rate: on a shared machine CPU time is the steadier measure of the two.
      double alone = lastJournalThreadRate;
      lastCpuRate = alone;
      report(
          "    journal thread alone (per CPU-s)",
          alone,
          "events/CPU-s",
          String.format(
              Locale.ROOT,
              ">= 0.9 x raw per CPU-s (%.2fM); ratio %.2f",
              0.9 * rawCpuRate / 1e6,
              alone / rawCpuRate),
          alone >= 0.9 * rawCpuRate,
          count);
      lastCpuRate = pipelineCpuRate;
      report(
          "    whole pipeline, process CPU per event",
          pipelineCpuRate,
          "events/CPU-s",
          String.format(
              Locale.ROOT, "info; ratio to raw per CPU-s %.2f", pipelineCpuRate / rawCpuRate),
          true,
          count);
    } else {
      report(
          "(b) pipeline publish->journaled, " + producers + " producers",
          rate,
          "events/s",
          String.format(
              Locale.ROOT, ">= 0.8 x raw (%.2fM); ratio %.2f", 0.8 * raw / 1e6, rate / raw),
          rate >= 0.8 * raw,
          count);
    }
    return rate;
  }

  /** Publishes {@code total} events from {@code producers} threads; events/s until journaled. */
  private double pipeline(Path dir, int producers, long total) throws InterruptedException {
    JournalConfig config = config(dir);
    try (Journal journal = Journals.open(config, List.of())) {
      long perProducer = total / producers;
      long expected = perProducer * producers;
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        long producer = p;
        threads[p] =
            new Thread(
                () -> {
                  Event e = sampleEvent();
                  for (long n = 0; n < perProducer; n++) {
                    journal.sink().publish(e.value(producer).originSeqno(n));
                  }
                },
                "bench-producer-" + p);
      }
      long cpu = processCpuNanos();
      long journalThread = journalThreadId();
      long journalCpu = threadCpuNanos(journalThread);
      long start = System.nanoTime();
      for (Thread t : threads) {
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      while (journal.counter(JournalCounter.EVENTS_APPENDED) < expected) {
        LockSupport.parkNanos(20_000);
      }
      long elapsed = System.nanoTime() - start;
      check(
          journal.counter(JournalCounter.EVENTS_APPENDED) == expected,
          "pipeline appended "
              + journal.counter(JournalCounter.EVENTS_APPENDED)
              + " of "
              + expected);
      check(
          journal.counter(JournalCounter.APPEND_ERRORS) == 0,
          "pipeline append errors: " + journal.counter(JournalCounter.APPEND_ERRORS));
      check(
          journal.counter(JournalCounter.BYTES_WRITTEN) >= expected * (RECORD_BYTES - 4),
          "pipeline wrote " + journal.counter(JournalCounter.BYTES_WRITTEN) + " bytes");
      lastCpuRate = expected * 1e9 / (processCpuNanos() - cpu);
      lastJournalThreadRate = expected * 1e9 / (threadCpuNanos(journalThread) - journalCpu);
      return expected * 1e9 / elapsed;
    }
  }

  /**
   * Reads back the 4-producer journal, every field of every event folded into a checksum (see
   * {@link ReadBench}): the raw Chronicle ceiling, the Event-based reader as the reference (its
   * pass also warms the JIT up), then three in-place passes; (c) is their median.
   */
  private void read(Path dir) {
    long expected = (options.events() / 4) * 4;
    ReadBench.Pass raw = ReadBench.raw(dir);
    check(raw.events() == expected, "raw read " + raw.events() + " records, expected " + expected);
    lastCpuRate = raw.cpuRate();
    report("    raw Chronicle read (ceiling)", raw.rate(), "events/s", "baseline", true, expected);
    ReadBench.Pass reference = ReadBench.events(dir);
    check(reference.events() == expected, "read " + reference.events() + ", expected " + expected);
    ReadBench.view(dir, 4); // warm-up of the in-place path
    ReadBench.Pass[] passes = new ReadBench.Pass[3];
    for (int i = 0; i < passes.length; i++) {
      passes[i] = ReadBench.view(dir, 4);
      check(
          passes[i].events() == expected, "read " + passes[i].events() + ", expected " + expected);
      check(
          passes[i].checksum() == reference.checksum(),
          "in-place read checksum "
              + Long.toHexString(passes[i].checksum())
              + " differs from the Event reader's "
              + Long.toHexString(reference.checksum()));
    }
    ReadBench.Pass[] sorted = ReadBench.sortedByRate(passes);
    ReadBench.Pass median = sorted[1];
    lastCpuRate = median.cpuRate();
    report(
        "(c) journal read (decode every event)",
        median.rate(),
        "events/s",
        ">= 10M",
        median.rate() >= 10_000_000,
        expected);
    out.printf(
        Locale.ROOT,
        "    read passes min/median/max %.2f/%.2f/%.2f M/s, %.2f x raw; checksum %016x%n",
        sorted[0].rate() / 1e6,
        median.rate() / 1e6,
        sorted[2].rate() / 1e6,
        median.rate() / raw.rate(),
        median.checksum());
    lastCpuRate = reference.cpuRate();
    report(
        "    journal read into Event objects",
        reference.rate(),
        "events/s",
        "reference",
        true,
        expected);
  }

  /**
   * Publishes at a fixed rate from one thread and records, in a gated handler, the time from the
   * event's intended publish time to its delivery after journaling. Measuring from the intended
   * time (not the actual one) keeps a stalled producer from hiding latency.
   */
  private void latency(Path dir, JournalConfig.WaitStrategy waitStrategy)
      throws InterruptedException {
    int rate = options.latencyRate();
    long total = rate * options.latencyDuration().toSeconds();
    LatencyRecorder recorder = new LatencyRecorder((int) total);
    LatencyRecorder fromCall = new LatencyRecorder((int) total);
    JournaledEventHandler probe =
        (e, index, eob) -> {
          long now = System.nanoTime();
          recorder.record(now - e.value());
          fromCall.record(now - e.lamport());
        };
    JournalConfig config = config(dir, waitStrategy);
    try (Journal journal = Journals.open(config, List.of(probe))) {
      Event e = sampleEvent();
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime() + 10_000_000L;
      for (long i = 0; i < total; i++) {
        long intended = start + i * interval;
        // Park rather than spin while the next event is not due: a spinning producer would take
        // a core from the journal threads on a small machine. Events due while parked go out as
        // a burst, and are timed from when they were due.
        long wait = intended - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        journal.sink().publish(e.value(intended).lamport(System.nanoTime()).originSeqno(i));
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (recorder.count() < total && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      check(recorder.count() == total, "latency run saw " + recorder.count() + " of " + total);
      long stalls = journal.counter(JournalCounter.RING_STALLS);
      long[] s = recorder.sorted();
      long p50 = LatencyRecorder.percentile(s, 50);
      long p99 = LatencyRecorder.percentile(s, 99);
      long p999 = LatencyRecorder.percentile(s, 99.9);
      long max = s[s.length - 1];
      String name = "(e) latency publish->journaled @" + (rate / 1000) + "k/s";
      String strategy = " (" + waitStrategy.name().toLowerCase(Locale.ROOT) + ")";
      out.printf(
          Locale.ROOT,
          "%-44s p50 %s  p99 %s  p99.9 %s  max %s  (%d events, %d ring stalls)   target p99 <= 1 ms,"
              + " p99.9 <= 5 ms  %s%n",
          name + strategy,
          micros(p50),
          micros(p99),
          micros(p999),
          micros(max),
          total,
          stalls,
          p99 <= 1_000_000 && p999 <= 5_000_000 ? "MET" : "NOT MET");
      long[] c = fromCall.sorted();
      out.printf(
          Locale.ROOT,
          "    same, timed from the publish call (excludes producer lateness): p50 %s  p99 %s "
              + " p99.9 %s  max %s%n",
          micros(LatencyRecorder.percentile(c, 50)),
          micros(LatencyRecorder.percentile(c, 99)),
          micros(LatencyRecorder.percentile(c, 99.9)),
          micros(c[c.length - 1]));
      figures.add(new Figure(name + " p50" + strategy, p50 / 1e3, "us", "", true, total));
      figures.add(
          new Figure(
              name + " p99" + strategy, p99 / 1e3, "us", "<= 1000 us", p99 <= 1_000_000, total));
      figures.add(
          new Figure(
              name + " p99.9" + strategy,
              p999 / 1e3,
              "us",
              "<= 5000 us",
              p999 <= 5_000_000,
              total));
      figures.add(new Figure(name + " max" + strategy, max / 1e3, "us", "", true, total));
    }
  }

  private JournalConfig config(Path dir) {
    return config(dir, options.waitStrategy());
  }

  private JournalConfig config(Path dir, JournalConfig.WaitStrategy waitStrategy) {
    return JournalConfig.builder(dir)
        .ringSize(options.ringSize())
        .waitStrategy(waitStrategy)
        .rollCycle(JournalConfig.RollCycle.FAST_DAILY)
        .preallocateBytes(options.preallocateBytes())
        .build();
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
  }

  /**
   * Events per CPU-second over the last phase: on a shared, busy machine the wall-clock rate
   * measures the machine's load as much as the journal, this does not. Single-thread phases (raw
   * append, read) count the CPU time of their one thread, kernel time included; pipeline phases
   * count the whole process (producers, journal thread, preallocation, GC and JIT threads).
   */
  private double lastCpuRate;

  /**
   * The journal thread's own rate over the last pipeline phase, events per CPU-second: the
   * pipeline's ceiling when that thread has a core to itself.
   */
  private double lastJournalThreadRate;

  /** The raw append's events per CPU-second of its one thread. */
  private double rawCpuRate;

  private static long journalThreadId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("meshlog-journal") && t.isAlive())
        .mapToLong(Thread::getId)
        .max()
        .orElse(-1);
  }

  private static long threadCpuNanos(long threadId) {
    return threadId < 0
        ? 0
        : java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
  }

  private static long threadCpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 1;
  }

  /**
   * (d) Events applied per second into RocksDB projections, next to the RocksDB write ceiling for
   * the same rows measured first in the same run; both runs check their own result.
   */
  private void projectionApply(Path dir) {
    // The ceiling holds its rows in memory: a sample of the same stream keeps that bounded.
    long sample = Math.min(options.events(), CEILING_SAMPLE_EVENTS);
    WriteCeiling.Result c = ProjectionBenchmark.ceiling(dir.resolve("ceiling"), sample);
    lastCpuRate = c.eventsPerCpuSecond();
    double ceiling = c.eventsPerSecond();
    report(
        String.format(
            Locale.ROOT,
            "    RocksDB write ceiling, same rows (%.2f puts, %.0f B per event)",
            (double) c.rows() / c.events(),
            (double) c.rowBytes() / c.events()),
        ceiling,
        "events/s",
        "ceiling",
        true,
        c.events());
    ProjectionBenchmark.Result r = ProjectionBenchmark.run(dir.resolve("apply"), options.events());
    lastCpuRate = r.eventsPerCpuSecond();
    double rate = r.eventsPerSecond();
    report(
        "(d) projection apply",
        rate,
        "events/s",
        String.format(
            Locale.ROOT,
            ">= 1.5M or >= 0.9 x ceiling (%.2fM); ratio %.2f",
            0.9 * ceiling / 1e6,
            rate / ceiling),
        rate >= 1_500_000 || rate >= 0.9 * ceiling,
        r.events());
  }

  /** Events whose rows the ceiling run records (about 100 bytes each in memory). */
  static final long CEILING_SAMPLE_EVENTS = 3_000_000;

  private void report(
      String name, double rate, String unit, String target, boolean met, long count) {
    out.printf(
        Locale.ROOT,
        "%-44s %6.2f M%s (%5.2f M per CPU-s)  target %s  %s%n",
        name,
        rate / 1e6,
        unit,
        lastCpuRate / 1e6,
        target,
        target.equals("baseline")
                || target.equals("ceiling")
                || target.equals("reference")
                || target.startsWith("info")
            ? ""
            : met ? "MET" : "NOT MET");
    out.flush();
    figures.add(new Figure(name, rate, unit, target, met, count));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark self-check failed: " + what);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
