package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.metrics.CounterSet;
import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates the blocks of the cycle file ahead of the journal writer, so the writer never takes the
 * page fault that fills a file hole.
 *
 * <p>Why: Chronicle grows its files sparsely, and on a real disk the first write into a hole page
 * costs a block allocation in the file system; those come in bursts that stall the writer for
 * milliseconds (seen: ~20 ms every few MiB), far above the journal's 1 ms tail-latency budget.
 * Chronicle's own pretoucher is not in the open-source build. This thread maps the region just
 * ahead of the writer's position and writes every page by an atomic compare-and-set of 0 with 0: a
 * page still zero gets allocated, and a page the writer has already filled is left untouched (the
 * CAS fails), so it can never overwrite a record even when the writer overtakes it.
 *
 * <p>Runs on its own thread; all I/O here is off the journal thread.
 */
final class Preallocator implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int PAGE = 4096;
  private static final long CHUNK = 4L << 20;

  private final JournalAppendHandler writer;
  private final long aheadBytes;
  private final CounterSet<JournalCounter> counters;
  private final JournalState state;
  private volatile boolean running = true;

  private File file;
  private FileChannel channel;
  private long touchedUpTo;

  Preallocator(
      JournalAppendHandler writer,
      long aheadBytes,
      CounterSet<JournalCounter> counters,
      JournalState state) {
    this.writer = writer;
    this.aheadBytes = aheadBytes;
    this.counters = counters;
    this.state = state;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      while (running && state.failure() == null) {
        if (!step()) {
          LockSupport.parkNanos(500_000);
        }
      }
    } finally {
      closeChannel();
    }
  }

  /** Touches one chunk if the writer's lead shrank below the target; false when idle. */
  boolean step() {
    File current = writer.currentFile();
    if (current == null) {
      return false;
    }
    long position = writer.writePosition();
    try {
      if (!current.equals(file)) {
        closeChannel();
        file = current;
        channel =
            FileChannel.open(current.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        touchedUpTo = position & -PAGE;
      }
      if (touchedUpTo < position) {
        // The writer overtook us (a burst): no point touching behind it.
        touchedUpTo = position & -PAGE;
      }
      if (touchedUpTo >= position + aheadBytes) {
        return false;
      }
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, touchedUpTo, CHUNK);
      try {
        for (int offset = 0; offset < CHUNK; offset += PAGE) {
          LONGS.compareAndSet(map, offset, 0L, 0L);
        }
      } finally {
        Unmapper.unmap(map);
      }
      touchedUpTo += CHUNK;
      counters.add(JournalCounter.BYTES_PREALLOCATED, CHUNK);
      return true;
    } catch (IOException | InternalError e) {
      if (!current.equals(writer.currentFile())) {
        return true; // The writer moved to a new cycle file; this one no longer matters.
      }
      // A fault while touching ahead means the disk cannot back the file: report it before the
      // writer takes the same fault on the journal thread.
      state.fail(
          JournalAppendHandler.classify(e),
          current.toPath(),
          "cannot preallocate journal file blocks: " + e,
          e);
      return false;
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing {}: {}", file, e.toString());
      }
      channel = null;
    }
  }

  /**
   * Releases a mapping now rather than at some later GC: this thread maps a chunk every few
   * milliseconds at full rate, and waiting for GC could exhaust the process's mapping limit.
   */
  static final class Unmapper {
    private static final Object UNSAFE;
    private static final java.lang.reflect.Method INVOKE_CLEANER;

    static {
      Object unsafe = null;
      java.lang.reflect.Method cleaner = null;
      try {
        Class<?> c = Class.forName("sun.misc.Unsafe");
        Field f = c.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        unsafe = f.get(null);
        cleaner = c.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn("mappings will be released by GC only: {}", e.toString());
      }
      UNSAFE = unsafe;
      INVOKE_CLEANER = cleaner;
    }

    static void unmap(MappedByteBuffer buffer) {
      if (INVOKE_CLEANER != null) {
        try {
          INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException e) {
          LOG.debug("unmap failed: {}", e.toString());
        }
      }
    }
  }
}
