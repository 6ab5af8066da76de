package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order every node of a topic should agree on. Where the sequencer gave every message of the
 * topic a final number, that number; otherwise (Lamport time, origin peer id, origin seqno), with
 * the message id last so the order is total. Absent values sort last. Mixing the two within one
 * topic would not give one order, so a topic with any message the sequencer did not number uses the
 * provisional order throughout. Stateless.
 */
final class CanonicalOrder {
  private CanonicalOrder() {}

  /**
   * @return per message number, its 0-based position in its topic's canonical order; -1 for
   *     messages nobody delivered
   */
  static int[] positions(
      List<MessageState> messages, int topics, BytesIndex peers, BytesIndex ids) {
    List<List<MessageState>> byTopic = new ArrayList<>();
    for (int t = 0; t < topics; t++) {
      byTopic.add(new ArrayList<>());
    }
    for (MessageState m : messages) {
      if (live(m)) {
        byTopic.get(m.topic).add(m);
      }
    }
    int[] position = new int[messages.size()];
    Arrays.fill(position, -1);
    Comparator<MessageState> provisional =
        Comparator.<MessageState>comparingLong(m -> orLast(m.lamport))
            .thenComparing((a, b) -> compareBytes(peer(peers, a.origin), peer(peers, b.origin)))
            .thenComparingLong(m -> orLast(m.seqno))
            .thenComparing((a, b) -> compareBytes(ids.key(a.number), ids.key(b.number)));
    for (List<MessageState> list : byTopic) {
      boolean sequenced = list.stream().allMatch(m -> m.finalSeq != Event.ABSENT);
      list.sort(
          sequenced
              // (epoch, seq) as the sequencer gave them; schema 2 records carry no epoch (ABSENT
              // sorts first), and seq keeps increasing across epochs either way.
              ? Comparator.<MessageState>comparingLong(m -> m.epoch)
                  .thenComparingLong(m -> m.finalSeq)
                  .thenComparing(provisional)
              : provisional);
      for (int i = 0; i < list.size(); i++) {
        position[list.get(i).number] = i;
      }
    }
    return position;
  }

  static boolean live(MessageState m) {
    for (byte v : m.via) {
      if (v != MessageState.NONE) {
        return true;
      }
    }
    return false;
  }

  private static long orLast(long v) {
    return v == Event.ABSENT ? Long.MAX_VALUE : v;
  }

  private static byte[] peer(BytesIndex peers, int p) {
    return p < 0 ? null : peers.key(p);
  }

  /** Unsigned lexicographic; null last. */
  private static int compareBytes(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return Arrays.compareUnsigned(a, b);
  }
}
