package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import java.util.function.Supplier;

/**
 * Runs a view call for a console and turns its failure into an exception any JMX client can
 * deserialize: a remote console does not have meshlog's exception classes, and an exception it
 * cannot read arrives as an opaque unmarshalling error instead of the reason.
 */
final class ViewCalls {

  private final CounterSet<JmxCounter> counters;

  ViewCalls(CounterSet<JmxCounter> counters) {
    this.counters = counters;
  }

  <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      counters.increment(JmxCounter.VIEW_ERRORS);
      throw new IllegalArgumentException(e.getMessage());
    } catch (RuntimeException e) {
      counters.increment(JmxCounter.VIEW_ERRORS);
      throw new IllegalStateException(describe(e));
    }
  }

  void run(Runnable call) {
    call(
        () -> {
          call.run();
          return null;
        });
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
      b.append("; caused by ").append(c);
      if (c.getCause() == c) {
        break;
      }
    }
    return b.toString();
  }
}
