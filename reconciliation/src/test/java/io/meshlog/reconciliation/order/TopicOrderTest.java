package io.meshlog.reconciliation.order;

import static io.meshlog.reconciliation.order.Messages.id;
import static io.meshlog.reconciliation.order.Messages.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.reconciliation.LamportClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TopicOrderTest {
  private final TopicOrder order = new TopicOrder("chat");

  @Test
  void shouldOrderProvisionalRowsByLamportThenOriginThenSeqno() {
    order.deliver(msg("chat", 1, 20, 1), 0);
    order.deliver(msg("chat", 2, 10, 2), 1);
    order.deliver(msg("chat", 3, 10, 1), 2);
    assertThat(order.rows()).extracting(r -> r.message().id()).containsExactly(id(3), id(2), id(1));
    assertThat(order.unconfirmedCount()).isEqualTo(3);
    assertThat(order.oldestUnconfirmedNanos()).isZero();
  }

  @Test
  void shouldTellTheOldestProvisionalArrivalAsMessagesBecomeFinal() {
    order.deliver(msg(1, 10), 500);
    order.deliver(msg(2, 20), 300);
    order.deliver(msg(3, 30), 300);
    order.deliver(msg(4, 40), 900);
    assertThat(order.oldestUnconfirmedNanos()).isEqualTo(300);

    order.confirm(id(2), new FinalPosition(1, 0));
    assertThat(order.oldestUnconfirmedNanos()).as("3 arrived at 300 too").isEqualTo(300);
    order.confirm(id(3), new FinalPosition(1, 1));
    assertThat(order.oldestUnconfirmedNanos()).isEqualTo(500);
    order.confirm(id(1), new FinalPosition(1, 2));
    order.confirm(id(4), new FinalPosition(1, 3));
    assertThat(order.oldestUnconfirmedNanos()).isEqualTo(-1);
    assertThat(order.unconfirmedCount()).isZero();
  }

  @Test
  void shouldReportTheOldAndNewRowOfAReorder() {
    order.deliver(msg(1, 10), 0);
    order.deliver(msg(2, 20), 0);
    order.deliver(msg(3, 30), 0);
    // The sequencer saw 3 first: it moves from row 2 to row 0.
    assertThat(order.confirm(id(3), new FinalPosition(1, 0))).isEqualTo(TopicOrder.Applied.FINAL);
    Reorder r = order.lastReorder();
    assertThat(r.oldRow()).isEqualTo(2);
    assertThat(r.newRow()).isZero();
    assertThat(r.position()).isEqualTo(new FinalPosition(1, 0));
    // 1 is then final at seq 1, row 1: it was row 1 already (after 3), no move.
    assertThat(order.confirm(id(1), new FinalPosition(1, 1))).isEqualTo(TopicOrder.Applied.FINAL);
    assertThat(order.lastReorder()).isNull();
    assertThat(order.reorders()).isEqualTo(1);
    assertThat(order.rows())
        .extracting(r2 -> r2.message().id())
        .containsExactly(id(3), id(1), id(2));
    assertThat(order.unconfirmed()).extracting(OrderedMessage::id).containsExactly(id(2));
  }

  @Test
  void shouldNeverMoveAFinalRowAgain() {
    order.deliver(msg(1, 10), 0);
    order.deliver(msg(2, 20), 0);
    order.confirm(id(1), new FinalPosition(1, 0));
    assertThat(order.confirm(id(1), new FinalPosition(2, 5)))
        .isEqualTo(TopicOrder.Applied.CONFLICT);
    assertThat(order.confirm(id(2), new FinalPosition(1, 0)))
        .isEqualTo(TopicOrder.Applied.CONFLICT);
    assertThat(order.confirm(id(1), new FinalPosition(1, 0))).isEqualTo(TopicOrder.Applied.ALREADY);
    assertThat(order.positionOf(id(1))).isEqualTo(new FinalPosition(1, 0));
    assertThat(order.positionOf(id(2))).isNull();
  }

  @Test
  void shouldMakeAMessageFinalOnDeliveryWhenItsConfirmationCameFirst() {
    assertThat(order.confirm(id(1), new FinalPosition(1, 0)))
        .isEqualTo(TopicOrder.Applied.AWAITING_MESSAGE);
    assertThat(order.rows()).isEmpty();
    order.deliver(msg(1, 10), 5);
    assertThat(order.rows()).singleElement().matches(OrderRow::isFinal);
    assertThat(order.unconfirmedCount()).isZero();
    assertThat(order.highestConfirmedLamport()).isEqualTo(10);
  }

  @Test
  void shouldAcceptAMeshAtLamportTenMillionOnAFreshNode() {
    ClockBound bound = new ClockBound(ClockBound.DEFAULT_MAX_JUMP);
    LamportClock fresh = new LamportClock();
    // Against the node's own clock (0) this is a jump of 10^7: it must still be accepted.
    assertThat(bound.accepts(10_000_000, order.highestConfirmedLamport())).isTrue();
    assertThat(10_000_000 - fresh.current()).isGreaterThan(ClockBound.DEFAULT_MAX_JUMP);
    order.deliver(msg(1, 10_000_000), 0);
    order.confirm(id(1), new FinalPosition(1, 0));
    assertThat(bound.accepts(11_000_000, order.highestConfirmedLamport())).isTrue();
    assertThat(bound.accepts(11_000_001, order.highestConfirmedLamport())).isFalse();
  }
}
