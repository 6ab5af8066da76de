package io.meshlog.eventlog.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;

/**
 * The live values of every counter of one descriptor enum, one slot per stable id ({@code id -
 * lowest id}). Thread-safe and lock-free: {@link #increment} and {@link #add} are atomic adds (one
 * uncontended {@code lock xadd} on the owner's thread), {@link #set} a release store for positions
 * that have one writer; nothing allocates or boxes. Positions start at -1, everything else at 0.
 *
 * <p>The slot of a constant is looked up through its ordinal in a table built once, not through
 * {@link CounterDescriptor#id()}: an interface call here would be megamorphic (six enums share this
 * class) on the hottest paths of the node.
 *
 * @param <C> the module's counter enum
 */
public final class CounterSet<C extends Enum<C> & CounterDescriptor> {

  /** Modules own ids by hundreds: {@code module → first id}. */
  private static final Map<String, Integer> RANGES =
      Map.of(
          "journal", 0,
          "projection", 100,
          "node", 200,
          "transport", 300,
          "gossip", 400,
          "jmx", 500,
          "export", 600,
          "sync", 700,
          "discovery", 800);

  private static final Pattern NAME = Pattern.compile("meshlog(\\.[a-z][a-z0-9]*)+");

  private final List<C> descriptors;
  private final int[] slots;
  private final AtomicLongArray values;

  private CounterSet(Class<C> type) {
    C[] constants = type.getEnumConstants();
    descriptors = List.of(constants);
    check(descriptors);
    int lowest = Integer.MAX_VALUE;
    int highest = Integer.MIN_VALUE;
    for (C c : constants) {
      lowest = Math.min(lowest, c.id());
      highest = Math.max(highest, c.id());
    }
    slots = new int[constants.length];
    values = new AtomicLongArray(constants.length == 0 ? 0 : highest - lowest + 1);
    for (C c : constants) {
      slots[c.ordinal()] = c.id() - lowest;
      if (c.kind() == CounterKind.POSITION) {
        values.set(slots[c.ordinal()], -1);
      }
    }
  }

  /**
   * A zeroed set for every constant of {@code type}.
   *
   * @throws IllegalArgumentException when the enum breaks a rule of {@link CounterDescriptor}
   *     (duplicate id or name, id outside its module's range, name not {@code
   *     meshlog.<module>.<what>}), naming the constant
   */
  public static <C extends Enum<C> & CounterDescriptor> CounterSet<C> of(Class<C> type) {
    return new CounterSet<>(type);
  }

  /**
   * Checks the rules of {@link CounterDescriptor} over {@code descriptors}, which may come from
   * several enums: names well formed, each id in its module's range, ids and names unique.
   *
   * @throws IllegalArgumentException naming the first offending descriptor
   */
  public static void check(Iterable<? extends CounterDescriptor> descriptors) {
    Map<Integer, CounterDescriptor> ids = new HashMap<>();
    Map<String, CounterDescriptor> names = new HashMap<>();
    for (CounterDescriptor d : descriptors) {
      if (!NAME.matcher(d.meterName()).matches() || d.module().isEmpty()) {
        throw new IllegalArgumentException(
            d + ": meter name " + d.meterName() + " is not meshlog.<module>.<what>");
      }
      Integer first = RANGES.get(d.module());
      if (first == null || d.id() < first || d.id() >= first + 100 || d.id() == 0) {
        throw new IllegalArgumentException(
            d + ": id " + d.id() + " is outside the range of module " + d.module());
      }
      CounterDescriptor clash = ids.putIfAbsent(d.id(), d);
      if (clash != null) {
        throw new IllegalArgumentException(d + ": id " + d.id() + " is taken by " + clash);
      }
      clash = names.putIfAbsent(d.meterName(), d);
      if (clash != null) {
        throw new IllegalArgumentException(
            d + ": meter name " + d.meterName() + " is taken by " + clash);
      }
    }
  }

  /** Adds one. */
  public void increment(C counter) {
    values.getAndIncrement(slots[counter.ordinal()]);
  }

  public void add(C counter, long delta) {
    values.getAndAdd(slots[counter.ordinal()], delta);
  }

  /**
   * Stores a value (a position) with release semantics: for a counter with one writer; readers on
   * other threads see it promptly, without a full fence per call.
   */
  public void set(C counter, long value) {
    values.setRelease(slots[counter.ordinal()], value);
  }

  /** The current value; any thread. */
  public long get(C counter) {
    return values.get(slots[counter.ordinal()]);
  }

  /** Every constant of the enum, in declaration order. */
  public List<C> descriptors() {
    return descriptors;
  }
}
