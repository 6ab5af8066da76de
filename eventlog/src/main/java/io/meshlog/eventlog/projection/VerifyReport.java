package io.meshlog.eventlog.projection;

/**
 * The outcome of comparing live projections with a rebuild from the journal.
 *
 * @param appliedIndex the journal index both were compared at
 * @param firstDifference a description of the first differing row (column, key, both values), or
 *     null when every view is byte-identical
 */
public record VerifyReport(long appliedIndex, String firstDifference) {

  /** True when the live projections equal the rebuild. */
  public boolean identical() {
    return firstDifference == null;
  }
}
