package io.meshlog.reconciliation.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The row-number index of a topic's order: ranks equal to counting a sorted set's head, and a rank
 * costs comparisons in the logarithm of the size, not in the size (a backlog of n rows confirmed
 * one by one cost O(n²) when rows were counted).
 */
class RankedSetTest {

  @Property(tries = 200)
  void shouldRankAsTheCountOfSmallerElements(
      @ForAll @IntRange(min = 1, max = 400) int ops, @ForAll long seed) {
    Random random = new Random(seed);
    RankedSet<Integer> ranked = new RankedSet<>(Comparator.naturalOrder());
    TreeSet<Integer> expected = new TreeSet<>();
    for (int i = 0; i < ops; i++) {
      int v = random.nextInt(100);
      if (random.nextInt(3) == 0) {
        assertThat(ranked.remove(v)).isEqualTo(expected.remove(v));
      } else {
        assertThat(ranked.add(v)).isEqualTo(expected.add(v));
      }
      int probe = random.nextInt(102) - 1;
      assertThat(ranked.rank(probe)).isEqualTo(expected.headSet(probe, false).size());
      assertThat(ranked.size()).isEqualTo(expected.size());
    }
  }

  @Test
  void shouldRankWithLogarithmicComparisons() {
    AtomicLong comparisons = new AtomicLong();
    RankedSet<Integer> ranked =
        new RankedSet<>(
            (a, b) -> {
              comparisons.incrementAndGet();
              return Integer.compare(a, b);
            });
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      ranked.add(i); // in order, as a sequencer's seqs come: the worst case of a plain BST
    }
    comparisons.set(0);
    for (int i = 0; i < n; i += 1000) {
      assertThat(ranked.rank(i)).isEqualTo(i);
      assertThat(ranked.remove(i)).isTrue();
      assertThat(ranked.add(i)).isTrue();
    }
    // 300 operations on 10^5 elements: a counted head would take ~5 * 10^6 comparisons; a
    // balanced tree takes about 3 * 300 * log2(10^5) ~ 15,000 (the treap's depth is ~2 log n).
    assertThat(comparisons.get()).isLessThan(60_000);
  }
}
