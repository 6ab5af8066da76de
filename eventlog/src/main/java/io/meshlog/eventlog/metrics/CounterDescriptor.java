package io.meshlog.eventlog.metrics;

/**
 * One declared counter (Aeron's {@code SystemCounterDescriptor}): a stable id, the meter name an
 * operator sees, its kind and one line saying what is counted. Each module declares its counters as
 * one enum implementing this interface; the jmx module exports every constant of every such enum,
 * and its tests fail when one is not exported.
 *
 * <p>Rules, checked by {@link CounterSet#of} and by the jmx module's binding:
 *
 * <ul>
 *   <li>ids are unique across all modules and never reused; each module owns a range of 100 ({@link
 *       #module()} {@code journal}: 1-99, {@code projection}: 100-199, {@code node}: 200-299,
 *       {@code transport}: 300-399, {@code gossip}: 400-499, {@code jmx}: 500-599, {@code export}:
 *       600-699, {@code sync}: 700-799, {@code discovery}: 800-899). A retired counter keeps its id
 *       as a comment.
 *   <li>meter names read {@code meshlog.<module>.<what>}: lower case, dotted, values in base units
 *       (a name ending in {@code .bytes} counts bytes, in {@code .seconds} seconds; a time the
 *       owner keeps in milliseconds declares an {@link #exportScale()} of 0.001). Prometheus shows
 *       {@code meshlog_<module>_<what>_total} for a {@link CounterKind#COUNTER} and {@code
 *       meshlog_<module>_<what>} for the others.
 * </ul>
 */
public interface CounterDescriptor {

  /** What the constant declares; each enum holds one per constant. */
  CounterDeclaration declaration();

  /** Stable id, unique across meshlog, never reused. */
  default int id() {
    return declaration().id();
  }

  /** The meter name, e.g. {@code meshlog.gossip.rpcs.received}. */
  default String meterName() {
    return declaration().meterName();
  }

  /** Counter, gauge or position. */
  default CounterKind kind() {
    return declaration().kind();
  }

  /** One line saying what is counted. */
  default String description() {
    return declaration().description();
  }

  /**
   * What the exported meter shows per unit of the stored value: 1, or 0.001 for a time kept in
   * milliseconds and exported in seconds.
   */
  default double exportScale() {
    return declaration().exportScale();
  }

  /** The module part of {@link #meterName()}, e.g. {@code gossip}. */
  default String module() {
    String name = meterName();
    int start = name.indexOf('.') + 1;
    int end = name.indexOf('.', start);
    return end < 0 ? "" : name.substring(start, end);
  }
}
