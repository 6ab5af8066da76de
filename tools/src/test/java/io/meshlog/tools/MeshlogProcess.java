package io.meshlog.tools;

import io.meshlog.eventlog.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Starts {@code meshlog} in a child JVM with the test JVM's java, class path and flags. */
final class MeshlogProcess {
  private MeshlogProcess() {}

  static Process start(Path stdout, Path stderr, String... args) throws IOException {
    return new ProcessBuilder(
            io.meshlog.eventlog.testing.ChildJvm.command(
                io.meshlog.eventlog.testing.ChildJvm.allFlags(), Main.class, args))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
  }

  static void until(Duration timeout, Callable<Boolean> condition) {
    Await.until("the child's condition holds", timeout, condition);
  }

  /**
   * The arguments of {@code meshlog node} on data directory {@code dir} (created), listening on
   * 127.0.0.1 and joined to topic {@code chat}, followed by {@code extra}.
   */
  static List<String> nodeArgs(Path dir, List<String> extra) throws IOException {
    Files.createDirectories(dir);
    List<String> args =
        new ArrayList<>(
            List.of(
                "node",
                "--data-dir",
                dir.toString(),
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
                "--topic",
                "chat"));
    args.addAll(extra);
    return args;
  }

  /**
   * Waits up to {@code limit} for a node's {@code listening} line on {@code stdout}; its address.
   */
  static String listeningAddress(Path stdout, Duration limit) throws IOException {
    until(limit, () -> Files.exists(stdout) && Files.readString(stdout).contains("listening "));
    String line =
        Files.readAllLines(stdout).stream()
            .filter(l -> l.startsWith("listening "))
            .findFirst()
            .orElseThrow();
    return line.substring("listening ".length()).trim();
  }
}
