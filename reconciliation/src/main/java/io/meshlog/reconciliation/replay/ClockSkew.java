package io.meshlog.reconciliation.replay;

import java.util.Arrays;
import java.util.List;

/**
 * Estimates each node's clock offset from the journals alone. A hop of message m from F to N (N's
 * DELIVER names F as forwarder; F's own delivery or publication of m stands in for the send time)
 * gives {@code recv_N - send_F = delay + (off_N - off_F)} with delay >= 0. The smallest such value
 * in each direction bounds the difference of offsets:
 *
 * <pre>
 *   -min(N→F) <= off_N - off_F <= min(F→N)
 * </pre>
 *
 * The estimate is the middle of that interval (it assumes the fastest hops are about as fast both
 * ways), and the uncertainty is half its width. Pairs with hops both ways form a graph; offsets are
 * propagated from a reference node (the lowest node of the largest connected group) along the paths
 * of least summed uncertainty. Nodes outside that group keep offset 0 with no estimate.
 *
 * <p>An offset is "own clock minus reference clock": subtract it from a node's times. Stateless.
 */
final class ClockSkew {

  /** Offsets per node; {@code uncertainty[n] < 0} means not estimated. */
  record Estimate(long[] offset, long[] uncertainty, int reference) {
    static Estimate none(int nodes) {
      long[] u = new long[nodes];
      Arrays.fill(u, -1);
      return new Estimate(new long[nodes], u, -1);
    }

    long correct(int node, long timeNanos) {
      return timeNanos - offset[node];
    }
  }

  private ClockSkew() {}

  /**
   * @param nodeOfPeer maps a peer number of the collector to a node, -1 when it has no journal
   */
  static Estimate estimate(List<MessageState> messages, int nodes, int[] nodeOfPeer) {
    long[][] min = new long[nodes][nodes]; // min[f][n]: smallest recv_n - send_f
    for (long[] row : min) {
      Arrays.fill(row, Long.MAX_VALUE);
    }
    for (MessageState m : messages) {
      for (int n = 0; n < nodes; n++) {
        int peer = m.forwarder[n];
        if (m.via[n] != MessageState.DELIVER || peer < 0 || peer >= nodeOfPeer.length) {
          continue;
        }
        int f = nodeOfPeer[peer];
        if (f < 0 || f == n || !m.delivered(f)) {
          continue;
        }
        long d = m.time[n] - m.time[f];
        if (d < min[f][n]) {
          min[f][n] = d;
        }
      }
    }
    int reference = reference(min, nodes);
    if (reference < 0) {
      return Estimate.none(nodes);
    }
    long[] offset = new long[nodes];
    long[] uncertainty = new long[nodes];
    Arrays.fill(uncertainty, Long.MAX_VALUE);
    boolean[] done = new boolean[nodes];
    uncertainty[reference] = 0;
    // Dijkstra over summed half-widths; O(nodes^2), nodes are few. Ties go to the lower node.
    while (true) {
      int a = -1;
      for (int n = 0; n < nodes; n++) {
        if (!done[n]
            && uncertainty[n] != Long.MAX_VALUE
            && (a < 0 || uncertainty[n] < uncertainty[a])) {
          a = n;
        }
      }
      if (a < 0) {
        break;
      }
      done[a] = true;
      for (int b = 0; b < nodes; b++) {
        if (done[b] || !linked(min, a, b)) {
          continue;
        }
        long up = min[a][b]; // off_b - off_a <= up
        long down = min[b][a]; // off_b - off_a >= -down
        long half = (up + down) / 2;
        long u = uncertainty[a] + half;
        if (u < uncertainty[b]) {
          uncertainty[b] = u;
          offset[b] = offset[a] + (up - down) / 2;
        }
      }
    }
    for (int n = 0; n < nodes; n++) {
      if (uncertainty[n] == Long.MAX_VALUE) {
        uncertainty[n] = -1;
        offset[n] = 0;
      }
    }
    return new Estimate(offset, uncertainty, reference);
  }

  private static boolean linked(long[][] min, int a, int b) {
    return a != b && min[a][b] != Long.MAX_VALUE && min[b][a] != Long.MAX_VALUE;
  }

  /** The lowest node of the largest group of linked nodes, or -1 when no two nodes are linked. */
  private static int reference(long[][] min, int nodes) {
    int[] group = new int[nodes];
    Arrays.fill(group, -1);
    int best = -1;
    int bestSize = 1;
    for (int start = 0; start < nodes; start++) {
      if (group[start] >= 0) {
        continue;
      }
      int size = 0;
      int[] stack = new int[nodes];
      int top = 0;
      stack[top++] = start;
      group[start] = start;
      while (top > 0) {
        int a = stack[--top];
        size++;
        for (int b = 0; b < nodes; b++) {
          if (group[b] < 0 && linked(min, a, b)) {
            group[b] = start;
            stack[top++] = b;
          }
        }
      }
      if (size > bestSize) {
        best = start;
        bestSize = size;
      }
    }
    return best;
  }
}
