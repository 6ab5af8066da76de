package io.meshlog.tools.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR} of the benchmarks: the disk a run writes to, in a temp directory made
 * under it, declared once for every bench command (a picocli mixin). Its default, {@code
 * java.io.tmpdir}, should be a real disk, not tmpfs.
 */
final class ScratchDirOption {
  @Option(
      names = "--data-dir",
      description = "Where the run writes (a temp dir is made under it). Default: java.io.tmpdir.")
  private Path dir;

  /** The directory given, or {@code java.io.tmpdir}. */
  Path parent() {
    return dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Deletes a run's temp directory and everything in it. */
  static void deleteRecursively(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
