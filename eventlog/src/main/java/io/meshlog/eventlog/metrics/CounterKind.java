package io.meshlog.eventlog.metrics;

/** How a counter's value moves, which decides how it is exported. */
public enum CounterKind {
  /** Only goes up while the owner runs: a Prometheus counter, {@code <name>_total}. */
  COUNTER,
  /** Goes up and down (a size, a number of peers right now). */
  GAUGE,
  /**
   * A position in a sequence (a journal index, a node sequence), -1 when there is none yet;
   * exported as a gauge, so that lag is one subtraction of two positions.
   */
  POSITION
}
