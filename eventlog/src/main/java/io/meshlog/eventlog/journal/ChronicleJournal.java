package io.meshlog.eventlog.journal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalHealth;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.metrics.CounterSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the journal: Chronicle queue, Disruptor ring, journal thread, gated handler threads,
 * preallocation thread and housekeeping (retention, free-space guard).
 *
 * <pre>
 *   RingSink ─► ring ─► JournalAppendHandler ─► cycle files ◄─ Preallocator (ahead of writer)
 *                           └─(gates)─► GatedHandler x n      ◄─ CycleFileRetention, DiskSpaceGuard
 * </pre>
 *
 * <p>Public only so {@link io.meshlog.eventlog.disk.Journals#open} can reach it, and so {@code
 * meshlog bench} can measure the raw-append ceiling ({@link #rawAppend}); not API.
 */
public final class ChronicleJournal implements Journal {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

  private static final Pattern TAILER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final JournalConfig config;
  private final SingleChronicleQueue queue;
  private final CounterSet<JournalCounter> counters = CounterSet.of(JournalCounter.class);
  private final JournalState state = new JournalState();
  private final Disruptor<EventSlot> disruptor;
  private final RingBuffer<EventSlot> ring;
  private final RingSink sink;
  private final JournalAppendHandler appendHandler;
  private final List<GatedHandler> gated = new ArrayList<>();
  private final Preallocator preallocator;
  private final Thread preallocatorThread;
  private final ScheduledExecutorService housekeeping;
  private final CycleFileRetention retention;
  private boolean closed;

  private ChronicleJournal(
      JournalConfig config,
      SingleChronicleQueue queue,
      List<? extends JournaledEventHandler> handlers)
      throws IOException {
    this.config = config;
    this.queue = queue;
    long nextSequence = lastSequence(queue) + 1;
    appendHandler =
        new JournalAppendHandler(
            queue, config.dir(), nextSequence, counters, state, config.maxRecordBytes());
    counters.set(JournalCounter.NODE_SEQUENCE, nextSequence - 1);
    counters.set(JournalCounter.APPENDED_INDEX, queue.lastIndex());

    disruptor =
        new Disruptor<>(
            EventSlot::new,
            config.ringSize(),
            threads("meshlog-journal"),
            ProducerType.MULTI,
            waitStrategy(config.waitStrategy()));
    disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
    EventHandlerGroup<EventSlot> journal = disruptor.handleEventsWith(appendHandler);
    if (!handlers.isEmpty()) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      EventHandler<EventSlot>[] after = new EventHandler[handlers.size()];
      for (int i = 0; i < after.length; i++) {
        GatedHandler g = new GatedHandler(handlers.get(i), counters);
        gated.add(g);
        after[i] = g;
      }
      journal.then(after);
    }
    ring = disruptor.start();
    sink = new RingSink(ring, counters, state);
    awaitConsumersStarted();

    if (config.preallocateBytes() > 0) {
      preallocator = new Preallocator(appendHandler, config.preallocateBytes(), counters, state);
      preallocatorThread = threads("meshlog-journal-prealloc").newThread(preallocator);
      preallocatorThread.start();
    } else {
      preallocator = null;
      preallocatorThread = null;
    }

    housekeeping =
        Executors.newSingleThreadScheduledExecutor(threads("meshlog-journal-housekeeping"));
    DiskSpaceGuard guard = new DiskSpaceGuard(config.dir(), config.minFreeBytes(), state);
    guard.run();
    housekeeping.scheduleWithFixedDelay(guarded(guard), 250, 250, TimeUnit.MILLISECONDS);
    retention =
        new CycleFileRetention(
            config.dir(),
            config.retentionMaxAge(),
            config.retentionMaxBytes(),
            config.retentionIgnoreHolds(),
            counters,
            appendHandler::currentFile,
            queue::refreshDirectoryListing);
    if (retention.enabled()) {
      long every = config.retentionInterval().toMillis();
      housekeeping.scheduleWithFixedDelay(guarded(retention), every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** See {@link io.meshlog.eventlog.disk.Journals#open}. */
  public static Journal open(JournalConfig config, List<? extends JournaledEventHandler> handlers) {
    SingleChronicleQueue queue =
        Queues.open(config.dir(), Queues.rollCycle(config.rollCycle()), null);
    try {
      return new ChronicleJournal(config, queue, List.copyOf(handlers));
    } catch (IOException | RuntimeException e) {
      queue.close();
      if (e instanceof JournalException) {
        throw (JournalException) e;
      }
      throw new JournalException(
          JournalException.Reason.IO, config.dir(), "cannot start the journal: " + e, e);
    }
  }

  /**
   * The benchmark's baseline: appends {@code count} copies of {@code record[0..length)} from the
   * calling thread straight into a Chronicle queue in {@code dir}, without ring or journal thread.
   * For {@code meshlog bench} only; not API.
   *
   * @return elapsed nanoseconds
   * @throws IllegalStateException when the queue does not then hold exactly {@code count} records
   */
  public static long rawAppend(Path dir, byte[] record, int length, long count) {
    return RawChronicle.append(dir, record, length, count);
  }

  /** See {@link io.meshlog.eventlog.disk.Journals#openReader}. */
  public static JournalReader openReader(Path dir) {
    SingleChronicleQueue queue = Queues.openExisting(dir, null);
    try {
      return new ChronicleJournalReader(queue, true, null, () -> {});
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  @Override
  public EventSink sink() {
    return sink;
  }

  @Override
  public JournalReader reader() {
    return new ChronicleJournalReader(queue, false, null, this::countSkip);
  }

  @Override
  public JournalReader tailer(String name) {
    if (name == null || !TAILER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tailer name must match " + TAILER_NAME + ": " + name);
    }
    return new ChronicleJournalReader(queue, false, name, this::countSkip);
  }

  /**
   * Runs retention once, now, on the housekeeping thread (after any run in progress, so never two
   * at once), and returns when it is done, whether or not retention is enabled. For tests, which
   * must not wait for the schedule.
   *
   * @throws IllegalStateException when the run failed or did not finish within 10 s
   */
  void runRetentionNow() {
    try {
      housekeeping.submit(retention).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("retention run failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running retention", e);
    }
  }

  private void countSkip() {
    counters.increment(JournalCounter.SKIPPED_RECORDS);
  }

  @Override
  public long appendedIndex() {
    return counters.get(JournalCounter.APPENDED_INDEX);
  }

  @Override
  public long counter(JournalCounter counter) {
    // The size is read off the files when asked, not kept on the writer thread.
    return counter == JournalCounter.SIZE_ON_DISK ? sizeOnDiskBytes() : counters.get(counter);
  }

  @Override
  public JournalHealth health() {
    JournalHealth failed = state.failedHealth();
    if (failed != null) {
      return failed;
    }
    long capacity = ring.getBufferSize();
    long used = capacity - ring.remainingCapacity();
    if (!state.isClosed() && used * 4 > capacity * 3) {
      String slowest = "journal thread";
      long min = disruptor.getSequenceValueFor(appendHandler);
      for (GatedHandler g : gated) {
        long s = disruptor.getSequenceValueFor(g);
        if (s < min) {
          min = s;
          slowest = g.name();
        }
      }
      return JournalHealth.lagging(
          "ring " + (used * 100 / capacity) + "% full; slowest consumer: " + slowest);
    }
    return JournalHealth.OK;
  }

  @Override
  public long ringRemainingCapacity() {
    return ring.remainingCapacity();
  }

  @Override
  public long ringSize() {
    return ring.getBufferSize();
  }

  @Override
  public long sizeOnDiskBytes() {
    return Queues.sizeOnDisk(config.dir());
  }

  @Override
  public Path dir() {
    return config.dir();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    state.close();
    awaitPublishersQuiet();
    try {
      disruptor.shutdown(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.error("journal consumers did not drain within 30 s; halting them");
      disruptor.halt();
    }
    if (preallocator != null) {
      preallocator.stop();
      try {
        preallocatorThread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    housekeeping.shutdownNow();
    queue.close();
  }

  /**
   * A producer that passed the closed check just before {@link #close()} may still be claiming its
   * slot; the Disruptor counts a claimed slot as backlog, but not one not yet claimed. Give such
   * producers a moment (until the ring cursor has been still for 10 ms, at most 1 s) so their
   * events are drained rather than left behind.
   */
  private void awaitPublishersQuiet() {
    long deadline = System.nanoTime() + 1_000_000_000L;
    long cursor = ring.getCursor();
    long stillSince = System.nanoTime();
    while (System.nanoTime() - stillSince < 10_000_000L && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
      long now = ring.getCursor();
      if (now != cursor) {
        cursor = now;
        stillSince = System.nanoTime();
      }
    }
  }

  private void awaitConsumersStarted() {
    try {
      boolean ok = appendHandler.awaitStarted(10_000);
      for (GatedHandler g : gated) {
        ok &= g.awaitStarted(10_000);
      }
      if (!ok) {
        state.fail(JournalException.Reason.IO, config.dir(), "journal threads did not start", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.fail(JournalException.Reason.IO, config.dir(), "interrupted while starting", e);
    }
    JournalException failure = state.failure();
    if (failure != null) {
      disruptor.halt();
      throw failure;
    }
  }

  /** The node sequence of the last record, -1 for an empty journal. */
  private static long lastSequence(SingleChronicleQueue queue) {
    try (ChronicleJournalReader backwards = ChronicleJournalReader.backwards(queue)) {
      Event last = new Event();
      return backwards.next(last) >= 0 ? last.sequence() : -1;
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn(
            "journal housekeeping task {} failed: {}",
            task.getClass().getSimpleName(),
            e.toString(),
            e);
      }
    };
  }

  private static WaitStrategy waitStrategy(JournalConfig.WaitStrategy s) {
    switch (s) {
      case SLEEPING:
        // Park at once, without Disruptor's default 100 spins + 100 yields first: at 100k events/s
        // the next event always arrives inside that window, so the default never parks and each
        // consumer burns about half a core yielding, CPU a small machine's producers and network
        // threads need. Costs ~50 us of p50 (docs/journal.md has the measurements). Idle, the parks
        // back off to 1 ms, so an idle node does not wake its consumers 20,000 times a second.
        return new IdleBackoffWaitStrategy();
      case YIELDING:
        return new YieldingWaitStrategy();
      case BUSY_SPIN:
        return new BusySpinWaitStrategy();
      case BLOCKING:
      default:
        return new BlockingWaitStrategy();
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      int i = n.getAndIncrement();
      Thread t = new Thread(r, i == 0 ? prefix : prefix + "-" + i);
      t.setDaemon(true);
      return t;
    };
  }

  /** Last resort for what escapes the handlers' own catch: count, log, keep going. */
  private final class LoggingExceptionHandler implements ExceptionHandler<EventSlot> {
    @Override
    public void handleEventException(Throwable ex, long sequence, EventSlot slot) {
      counters.increment(JournalCounter.HANDLER_ERRORS);
      LOG.error("journal pipeline error at ring sequence {}", sequence, ex);
      if (ex instanceof Error) {
        state.fail(JournalException.Reason.IO, config.dir(), "journal thread error: " + ex, ex);
      }
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      LOG.error("journal pipeline thread failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
      LOG.error("journal pipeline thread failed to stop", ex);
    }
  }
}
