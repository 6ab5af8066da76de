package io.meshlog.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One shipper per data directory: an OS file lock on {@code <data-dir>/kafka-shipper.lock}, held
 * while a shipper runs (in a node or in {@code meshlog ship}) and released by the OS when that
 * process dies, even by SIGKILL. Thread-safe.
 */
public final class ShipperLock implements AutoCloseable {
  public static final String FILE = "kafka-shipper.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private ShipperLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}.
   *
   * @throws ExportException when another shipper holds it, or the file cannot be opened
   */
  public static ShipperLock take(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel ch;
    try {
      Files.createDirectories(dataDir);
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ExportException("cannot open the shipper lock " + file + ": " + e, e);
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      close(ch);
      throw new ExportException("cannot lock " + file + ": " + e, e);
    }
    if (l == null) {
      close(ch);
      throw new ExportException(
          dataDir,
          "another shipper is already shipping this data directory (meshlog ship, or a node with"
              + " export.kafka.bootstrapServers set): "
              + file
              + " is locked; stop it first");
    }
    return new ShipperLock(ch, l);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // Nothing was locked; the channel is gone either way.
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel releases it too.
    }
    close(channel);
  }
}
