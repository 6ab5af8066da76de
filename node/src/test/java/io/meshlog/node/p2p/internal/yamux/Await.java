package io.meshlog.node.p2p.internal.yamux;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;

/** Polls for a condition instead of sleeping. */
final class Await {
  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, condition, Duration.ofSeconds(20));
  }

  static void until(String what, BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Assertions.fail("timed out waiting for " + what);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Assertions.fail("interrupted waiting for " + what);
      }
    }
  }
}
