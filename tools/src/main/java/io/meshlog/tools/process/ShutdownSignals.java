package io.meshlog.tools.process;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call on the command's own thread path instead of the JVM's
 * default exit (status 143/130, with shutdown hooks racing each other): the node then drains its
 * ring, closes the journal and RocksDB in order, and the process exits 0. {@code sun.misc.Signal}
 * is the JDK's only way to do this; it lives in the jdk.unsupported module that stays exported.
 */
public final class ShutdownSignals {

  private ShutdownSignals() {}

  /** Calls {@code onSignal} (on a JVM signal thread) at the first SIGTERM or SIGINT. */
  public static void onTermOrInt(Runnable onSignal) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> onSignal.run());
      } catch (IllegalArgumentException e) {
        // The signal is reserved on this platform (e.g. the JVM runs with -Xrs): the JVM's default
        // handling stays, and the shutdown hook the command installs still closes the node.
      }
    }
  }
}
