package io.meshlog.tools.command;

import io.meshlog.bench.discovery.RegistrySizeBenchmark;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench registry}: the peer registry's size on disk for {@code --peers} peers (each
 * with two addresses and some dial history), stored in real RocksDB ({@link
 * RegistrySizeBenchmark}), and the time to load it back. Exit 0 when the loaded registry equals the
 * one folded, 1 when not.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "The peer registry's size on disk and load time for N peers.")
final class RegistryBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScratchDirOption scratch;

  @Option(names = "--peers", defaultValue = "10000", description = "Peers in the registry.")
  int peers;

  @Override
  public Integer call() throws Exception {
    if (peers < 1) {
      throw CommandFailure.usage("--peers must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory(scratch.parent(), "meshlog-bench-registry");
    RegistrySizeBenchmark.Result r;
    try {
      r = RegistrySizeBenchmark.run(dir, peers);
    } finally {
      ScratchDirOption.deleteRecursively(dir);
    }
    out.printf(
        "peers stored                %,d (from %,d journal records)%n", r.peers(), r.events());
    out.printf(
        "rows as written             %,d bytes (%.0f per peer)%n",
        r.encodedBytes(), (double) r.encodedBytes() / r.peers());
    out.printf("store after close           %,d bytes (write-ahead log)%n", r.storeBytes());
    out.printf(
        "store after reopen (flushed) %,d bytes, of which table files %,d (%.0f per peer)%n",
        r.flushedBytes(), r.tableBytes(), (double) r.tableBytes() / r.peers());
    out.printf("empty projection store      %,d bytes%n", r.emptyStoreBytes());
    out.printf("load back                   %.1f ms%n", r.loadMillis());
    out.printf("loaded equals folded        %s%n", r.identical() ? "yes" : "NO");
    out.flush();
    return r.identical() ? ExitCode.OK : ExitCode.FAILED;
  }
}
