package io.meshlog.eventlog.metrics;

/**
 * The facts one counter constant declares: stable id, meter name, kind, one-line description, and
 * the factor from the stored value to the exported one. An enum implementing {@link
 * CounterDescriptor} holds one per constant, so the accessors are written once, in the interface.
 *
 * @param exportScale what the meter shows per unit of the stored long: 1 for nearly every counter;
 *     0.001 for a time kept in milliseconds and exported in seconds under a {@code .seconds} name
 */
public record CounterDeclaration(
    int id, String meterName, CounterKind kind, String description, double exportScale) {

  public CounterDeclaration {
    if (!(exportScale > 0) || Double.isInfinite(exportScale)) {
      throw new IllegalArgumentException(meterName + ": export scale " + exportScale);
    }
  }

  /** A counter exported as stored. */
  public CounterDeclaration(int id, String meterName, CounterKind kind, String description) {
    this(id, meterName, kind, description, 1);
  }
}
