package io.meshlog.node.p2p;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition by polling, failing with a message when it does not hold in time. */
public final class Poll {
  private Poll() {}

  public static void until(Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(10);
    }
  }
}
