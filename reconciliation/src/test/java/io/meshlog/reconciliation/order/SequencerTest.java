package io.meshlog.reconciliation.order;

import static io.meshlog.reconciliation.order.Messages.id;
import static io.meshlog.reconciliation.order.Messages.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SequencerTest {
  private static final long MS = 1_000_000L;
  private final ClockBound bound = new ClockBound(ClockBound.DEFAULT_MAX_JUMP);

  private static List<Integer> ids(List<Assignment> as) {
    return as.stream().map(a -> a.message().id().hashCode()).toList();
  }

  private static List<Long> seqs(List<Assignment> as) {
    return as.stream().map(a -> a.position().seq()).toList();
  }

  @Test
  void shouldAssignInArrivalOrderNotLamportOrderWhenNothingIsLate() {
    Sequencer s = new Sequencer(1, 100 * MS, bound);
    s.submit(msg(1, 30), 0);
    s.submit(msg(2, 10), 1);
    s.submit(msg(3, 20), 2);
    assertThat(s.release(50 * MS)).isEmpty();
    List<Assignment> out = s.release(100 * MS + 2);
    assertThat(out).extracting(a -> a.message().lamport()).containsExactly(30L, 10L, 20L);
    assertThat(seqs(out)).containsExactly(0L, 1L, 2L);
    assertThat(out).allMatch(a -> a.position().epoch() == 1);
  }

  @Test
  void shouldReleaseOnlyWhatsWindowHasPassed() {
    Sequencer s = new Sequencer(1, 100 * MS, bound);
    s.submit(msg(1, 1), 0);
    s.submit(msg(2, 2), 60 * MS);
    assertThat(s.nextDeadline()).isEqualTo(100 * MS);
    assertThat(s.release(100 * MS)).extracting(a -> a.message().lamport()).containsExactly(1L);
    assertThat(s.heldCount()).isEqualTo(1);
    assertThat(s.release(160 * MS)).extracting(a -> a.message().lamport()).containsExactly(2L);
  }

  @Test
  void shouldPlaceALateMessageByLamportAmongTheHeldOnes() {
    Sequencer s = new Sequencer(1, 100 * MS, bound);
    s.submit(msg(1, 50), 0);
    s.release(100 * MS); // 50 is final
    s.submit(msg(2, 70), 110 * MS); // on time: arrival order
    s.submit(msg(3, 60), 120 * MS); // on time too (60 >= 50): after 70, by arrival
    s.submit(msg(4, 65), 130 * MS); // on time
    s.submit(msg(5, 40), 140 * MS); // late (40 < 50): before the first held one after it, 70
    s.submit(msg(6, 62), 150 * MS); // on time: at the end
    s.submit(msg(7, 45), 160 * MS); // late: goes before 70 too, after 40
    // 70's window passes at 210 ms: 40 and 45 (placed before it) become final with it.
    List<Assignment> out = s.release(210 * MS);
    assertThat(out).extracting(a -> a.message().lamport()).containsExactly(40L, 45L, 70L);
    assertThat(seqs(out)).containsExactly(1L, 2L, 3L);
    assertThat(s.release(260 * MS))
        .extracting(a -> a.message().lamport())
        .containsExactly(60L, 65L, 62L);
  }

  @Test
  void shouldAppendALateMessageWhenNoHeldOneComesAfterIt() {
    Sequencer s = new Sequencer(1, 0, bound);
    s.submit(msg(1, 50), 0);
    s.release(0);
    s.submit(msg(2, 10), 1);
    assertThat(s.release(1)).extracting(a -> a.position().seq()).containsExactly(1L);
  }

  @Test
  void shouldKeepTheFirstNumberOfAResubmittedMessage() {
    Sequencer s = new Sequencer(1, 0, bound);
    assertThat(s.submit(msg(1, 5), 0)).isEqualTo(Sequencer.Outcome.HELD);
    assertThat(s.submit(msg(1, 5), 0)).isEqualTo(Sequencer.Outcome.ALREADY_HELD);
    s.release(0);
    s.submit(msg(2, 6), 1);
    assertThat(s.submit(msg(1, 5), 2)).isEqualTo(Sequencer.Outcome.ALREADY_FINAL);
    assertThat(s.release(3)).hasSize(1);
    assertThat(s.positionOf("chat", id(1))).isEqualTo(new FinalPosition(1, 0));
    assertThat(s.positionOf("chat", id(2))).isEqualTo(new FinalPosition(1, 1));
  }

  @Test
  void shouldNeverReuseAnEpochOrASeqAfterARestart() {
    Sequencer first = new Sequencer(1, 0, bound);
    first.submit(msg(1, 5), 0);
    first.submit(msg(2, 6), 0);
    List<Assignment> journaled = first.release(0);
    Sequencer second = new Sequencer(Sequencer.nextEpoch(1), 0, bound);
    journaled.forEach(second::restore);
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(second.submit(msg(2, 6), 1)).isEqualTo(Sequencer.Outcome.ALREADY_FINAL);
    second.submit(msg(3, 7), 1);
    assertThat(second.release(1))
        .extracting(Assignment::position)
        .containsExactly(new FinalPosition(2, 2));
    assertThat(second.highestFinalLamport("chat")).isEqualTo(7);
  }

  @Test
  void shouldRefuseToRestoreAnAssignmentOfItsOwnEpoch() {
    Sequencer s = new Sequencer(3, 0, bound);
    assertThatThrownBy(() -> s.restore(new Assignment(msg(1, 1), new FinalPosition(3, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not below");
  }

  @Test
  void shouldSequenceTopicsApart() {
    Sequencer s = new Sequencer(1, 0, bound);
    s.submit(msg("a", 1, 5, 1), 0);
    s.submit(msg("b", 2, 5, 1), 0);
    s.submit(msg("a", 3, 6, 1), 0);
    s.release(0);
    assertThat(s.positionOf("a", id(3)).seq()).isEqualTo(1);
    assertThat(s.positionOf("b", id(2)).seq()).isZero();
  }

  @Test
  void shouldRejectALamportJumpAboveTheHighestFinalOne() {
    Sequencer s = new Sequencer(1, 0, new ClockBound(1_000_000));
    // A fresh sequencer has no reference: a mesh at 10^7 is accepted.
    assertThat(s.submit(msg(1, 10_000_000), 0)).isEqualTo(Sequencer.Outcome.HELD);
    s.release(0);
    assertThat(s.submit(msg(2, 11_000_001), 1)).isEqualTo(Sequencer.Outcome.REJECTED_CLOCK);
    assertThat(s.submit(msg(3, 11_000_000), 1)).isEqualTo(Sequencer.Outcome.HELD);
  }

  @Test
  void shouldSequencePlainMessagesByArrival() {
    Sequencer s = new Sequencer(1, 0, bound);
    s.submit(msg(1, 50), 0);
    s.release(0);
    s.submit(msg(2, OrderedMessage.ABSENT), 1);
    s.submit(msg(3, 60), 1);
    assertThat(s.release(1)).extracting(a -> a.message().id()).containsExactly(id(2), id(3));
  }
}
