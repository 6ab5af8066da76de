package io.meshlog.tools.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR}, repeated once per node: the data directories of the commands that read
 * several nodes' journals together ({@code replay}, {@code replay explain}), declared once (a
 * picocli mixin). Not required by picocli: a required option of {@code replay} would be demanded of
 * its subcommand too, and {@code replay --kafka} needs none; each command checks what it needs.
 */
final class DataDirsOption {
  @Option(names = "--data-dir", description = "A node's data directory (repeat for each node).")
  private List<Path> dirs = new ArrayList<>();

  /** The directories given, in order; empty when none. */
  List<Path> paths() {
    return dirs;
  }
}
