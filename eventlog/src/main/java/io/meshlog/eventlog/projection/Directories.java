package io.meshlog.eventlog.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File moves and deletes for rebuilds: scratch directories next to the live one, swapped in. */
final class Directories {

  private Directories() {}

  /** A sibling of {@code dir} named {@code <name>.<suffix>}, on the same file system. */
  static Path sibling(Path dir, String suffix) {
    Path abs = dir.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + "." + suffix);
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /**
   * Puts {@code fresh} in the place of {@code dir}. The old directory is first renamed aside, so a
   * crash leaves either the old store, or no store (rebuilt again on the next open), or the new
   * one; never a mix.
   */
  static void swap(Path fresh, Path dir) {
    Path old = sibling(dir, "old");
    try {
      deleteRecursively(old);
      if (Files.exists(dir)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot swap " + fresh + " into " + dir, e);
    }
  }
}
