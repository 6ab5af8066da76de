package io.meshlog.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SequenceGapsTest {

  private static final SequenceGaps.OriginTopic A = new SequenceGaps.OriginTopic("a", "chat");
  private final SequenceGaps<SequenceGaps.OriginTopic> gaps = new SequenceGaps<>();

  @Test
  void shouldReportTheExactMissingRangesBetweenHeldRuns() {
    for (long s : new long[] {0, 1, 2, 3, 6, 7, 9}) {
      assertThat(gaps.add(A, s)).isTrue();
    }
    assertThat(gaps.gaps(A, 100)).containsExactly(new SeqRange(4, 5), new SeqRange(8, 8));
    assertThat(gaps.gaps(A, 12, 100))
        .containsExactly(new SeqRange(4, 5), new SeqRange(8, 8), new SeqRange(10, 12));
    assertThat(gaps.missing(A)).isEqualTo(3);
    assertThat(gaps.highest(A)).isEqualTo(9);
  }

  @Test
  void shouldCloseAGapWhenItsMessagesArriveInAnyOrder() {
    gaps.add(A, 0);
    gaps.add(A, 5);
    gaps.add(A, 3);
    gaps.add(A, 4);
    gaps.add(A, 2);
    assertThat(gaps.gaps(A, 10)).containsExactly(new SeqRange(1, 1));
    gaps.add(A, 1);
    assertThat(gaps.gaps(A, 10)).isEmpty();
    assertThat(gaps.add(A, 3)).as("already held").isFalse();
  }

  @Test
  void shouldKeepStreamsApartPerOriginAndTopic() {
    SequenceGaps.OriginTopic otherTopic = new SequenceGaps.OriginTopic("a", "news");
    gaps.add(A, 0);
    gaps.add(A, 1);
    gaps.add(otherTopic, 5);
    assertThat(gaps.gaps(A, 10)).isEmpty();
    assertThat(gaps.gaps(otherTopic, 10)).containsExactly(new SeqRange(0, 4));
  }

  @Test
  void shouldCostOneRangeForAFarJump() {
    gaps.add(A, 0);
    gaps.add(A, Long.MAX_VALUE - 1);
    assertThat(gaps.gaps(A, 10)).containsExactly(new SeqRange(1, Long.MAX_VALUE - 2));
    assertThat(gaps.gaps(A, 2, 10)).containsExactly(new SeqRange(1, 2));
  }

  @Test
  void shouldLimitTheRangesReturned() {
    for (long s = 0; s < 100; s += 2) {
      gaps.add(A, s);
    }
    assertThat(gaps.gaps(A, 3)).hasSize(3).first().isEqualTo(new SeqRange(1, 1));
  }

  @Test
  void shouldTakeAKnownPrefixAsHeldAndSwallowTheRunsItReaches() {
    gaps.add(A, 12);
    gaps.add(A, 14);
    gaps.add(A, 20);
    gaps.holdThrough(A, 12);
    assertThat(gaps.gaps(A, 100)).containsExactly(new SeqRange(13, 13), new SeqRange(15, 19));
    gaps.holdThrough(A, 16);
    assertThat(gaps.gaps(A, 100)).containsExactly(new SeqRange(17, 19));
    assertThat(gaps.holds(A, 0)).isTrue();
  }

  @Test
  void shouldRefuseANegativeSequence() {
    assertThatThrownBy(() -> gaps.add(A, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Property: for random held sets added in random order, gaps are exactly the complement. */
  @Test
  void shouldReportExactlyTheComplementOfWhatIsHeldForRandomArrivals() {
    Random r = new Random(2026);
    for (int round = 0; round < 500; round++) {
      SequenceGaps<String> g = new SequenceGaps<>();
      int n = 1 + r.nextInt(200);
      BitSet held = new BitSet();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (r.nextInt(3) > 0) {
          held.set(i);
          order.add(i);
          if (r.nextInt(5) == 0) {
            order.add(i); // duplicates
          }
        }
      }
      Collections.shuffle(order, r);
      for (int s : order) {
        g.add("k", s);
      }
      long upTo = n + r.nextInt(5);
      BitSet fromGaps = new BitSet();
      long previousTo = -2;
      for (SeqRange range : g.gaps("k", upTo, Integer.MAX_VALUE)) {
        assertThat(range.from())
            .as("ranges are disjoint and not adjacent")
            .isGreaterThan(previousTo + 1);
        previousTo = range.to();
        fromGaps.set((int) range.from(), (int) range.to() + 1);
      }
      BitSet expected = new BitSet();
      expected.set(0, (int) upTo + 1);
      expected.andNot(held);
      assertThat(fromGaps).as("round " + round).isEqualTo(expected);
      for (int i = 0; i <= upTo; i++) {
        assertThat(g.holds("k", i)).isEqualTo(held.get(i));
      }
      assertThat(g.highest("k")).isEqualTo(held.length() - 1);
    }
  }
}
