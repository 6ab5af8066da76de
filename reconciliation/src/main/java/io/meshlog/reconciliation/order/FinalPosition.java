package io.meshlog.reconciliation.order;

/**
 * A message's final place in its topic: the sequencer's epoch and the per-topic seq. Seqs keep
 * increasing across epochs, so the final order is by seq alone; the epoch says which sequencer
 * start gave it.
 */
public record FinalPosition(long epoch, long seq) implements Comparable<FinalPosition> {

  /**
   * @throws IllegalArgumentException when the epoch is below 1 or the seq below 0
   */
  public FinalPosition {
    if (epoch < 1 || seq < 0) {
      throw new IllegalArgumentException("epoch must be >= 1 and seq >= 0: " + epoch + "/" + seq);
    }
  }

  @Override
  public int compareTo(FinalPosition o) {
    int c = Long.compare(epoch, o.epoch);
    return c != 0 ? c : Long.compare(seq, o.seq);
  }
}
