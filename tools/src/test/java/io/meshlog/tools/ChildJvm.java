package io.meshlog.tools;

import io.meshlog.eventlog.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Starts {@code meshlog} in a child JVM with the test JVM's java, class path and flags. */
final class ChildJvm {
  private ChildJvm() {}

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
}
