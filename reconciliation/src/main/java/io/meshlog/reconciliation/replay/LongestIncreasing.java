package io.meshlog.reconciliation.replay;

import java.util.Arrays;

/**
 * The fewest messages to take out of a node's delivery order so that the rest follows the canonical
 * order: the complement of a longest increasing subsequence of canonical ranks. Of all longest
 * subsequences it keeps the one whose positions come first (lexicographically smallest), so a
 * message delivered late is the one displaced, and the choice is the same on every run.
 *
 * <p>O(n log n): patience sorting from the right gives, per position, the longest increasing run
 * that starts there; a greedy scan from the left then takes the earliest position that can still
 * complete a longest one. Stateless.
 */
final class LongestIncreasing {
  private LongestIncreasing() {}

  /**
   * @param ranks distinct canonical ranks in delivery order
   * @return per position, true when it is kept (in order), false when displaced
   */
  static boolean[] kept(int[] ranks) {
    int n = ranks.length;
    int[] startLen = new int[n];
    // tails[k]: the largest rank that can start an increasing run of length k + 1 to the right.
    // Stored negated so that the array is ascending and a binary search applies.
    int[] tails = new int[n];
    int len = 0;
    for (int i = n - 1; i >= 0; i--) {
      int x = -ranks[i];
      int k = Arrays.binarySearch(tails, 0, len, x);
      if (k < 0) {
        k = -k - 1;
      }
      tails[k] = x;
      if (k == len) {
        len++;
      }
      startLen[i] = k + 1;
    }
    boolean[] kept = new boolean[n];
    int need = len;
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < n && need > 0; i++) {
      if (startLen[i] == need && ranks[i] > previous) {
        kept[i] = true;
        previous = ranks[i];
        need--;
      }
    }
    return kept;
  }
}
