package io.meshlog.eventlog.journal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates the blocks of one cycle file's range without changing its data, for {@link
 * Preallocator}.
 *
 * <p>Two ways, chosen once per process:
 *
 * <ul>
 *   <li><b>fallocate</b> ({@code FALLOC_FL_KEEP_SIZE}, through Chronicle's POSIX binding): the file
 *       system reserves the blocks as unwritten extents in one call, no page is touched, the file's
 *       length stays what Chronicle made it, and data already written is never changed. Costs
 *       microseconds per MiB.
 *   <li><b>touch</b>, where fallocate is missing (not Linux, the native binding did not load, a
 *       file system without it): maps the range and writes every page with an atomic
 *       compare-and-set of 0 with 0, so a page still zero gets allocated and a page the writer has
 *       filled is left untouched. Costs a page fault (block allocation and zeroing) per 4 KiB page.
 * </ul>
 *
 * <p>Not thread-safe: owned by the preallocation thread.
 */
final class FileBlocks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileBlocks.class);
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int PAGE = 4096;
  private static final long TOUCH_CHUNK = 4L << 20;
  private static final int O_RDWR = 2;
  private static final int FALLOC_FL_KEEP_SIZE = 1;
  private static final int ENOSPC = 28;
  private static final int EDQUOT = 122;

  /** Null once fallocate was found missing or unsupported; every file then uses touch. */
  private static volatile PosixAPI posix = loadPosix();

  private final Path path;
  private final PosixAPI api;
  private final int fd;
  private FileChannel channel;

  private FileBlocks(Path path, PosixAPI api, int fd) {
    this.path = path;
    this.api = api;
    this.fd = fd;
  }

  /** Opens {@code path} for allocation. */
  static FileBlocks open(Path path) throws IOException {
    PosixAPI p = posix;
    if (p != null) {
      int fd = p.open(path.toString(), O_RDWR, 0);
      if (fd >= 0) {
        return new FileBlocks(path, p, fd);
      }
      LOG.debug("cannot open {} for fallocate (errno {}); touching pages", path, p.lastError());
    }
    return new FileBlocks(path, null, -1);
  }

  /** Opens {@code path} for allocation by touching pages, whether or not fallocate exists. */
  static FileBlocks openTouching(Path path) {
    return new FileBlocks(path, null, -1);
  }

  /** True when this file's blocks are allocated by fallocate, false when pages are touched. */
  boolean usesFallocate() {
    return fd >= 0 && posix != null;
  }

  /**
   * Allocates blocks for {@code [offset, offset + length)}, or for a first part of it.
   *
   * @return the bytes of the range now allocated, from {@code offset}
   * @throws IOException when the disk is full ("No space left on device") or the file cannot be
   *     mapped
   */
  long allocate(long offset, long length) throws IOException {
    if (fd >= 0 && posix != null) {
      if (api.fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) == 0) {
        return length;
      }
      int errno = api.lastError();
      if (errno == ENOSPC || errno == EDQUOT) {
        throw new IOException("No space left on device (fallocate of " + path + ")");
      }
      LOG.info(
          "fallocate is not available for {} (errno {}); preallocating by touching pages",
          path,
          errno);
      posix = null;
    }
    return touch(offset, Math.min(length, TOUCH_CHUNK));
  }

  private long touch(long offset, long length) throws IOException {
    long start = offset & -PAGE;
    long size = (offset + length - start + PAGE - 1) & -PAGE;
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, start, size);
    try {
      for (int at = 0; at < size; at += PAGE) {
        LONGS.compareAndSet(map, at, 0L, 0L);
      }
    } finally {
      Unmapper.unmap(map);
    }
    return start + size - offset;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      api.close(fd);
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing {}: {}", path, e.toString());
      }
      channel = null;
    }
  }

  private static PosixAPI loadPosix() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return null;
    }
    try {
      PosixAPI p = PosixAPI.posix();
      // The binding falls back to a no-op implementation that throws on every call.
      return p.getClass().getName().contains(".noop.") ? null : p;
    } catch (RuntimeException | LinkageError e) {
      LOG.info("no native POSIX binding ({}); preallocating by touching pages", e.toString());
      return null;
    }
  }

  /**
   * Releases a mapping now rather than at some later GC: the touch path maps a chunk every few
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
