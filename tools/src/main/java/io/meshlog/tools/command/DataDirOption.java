package io.meshlog.tools.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR}, the data directory of a node, declared once for every command that reads
 * one (a picocli mixin). {@code meshlog node} declares its own: there it overrides the {@code
 * node.dataDir} setting and may be left out.
 */
final class DataDirOption {
  @Option(names = "--data-dir", required = true, description = "The node's data directory.")
  private Path dataDir;

  Path path() {
    return dataDir;
  }
}
