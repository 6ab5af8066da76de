package io.meshlog.reconciliation.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two nodes see the same messages and the same confirmations in different random orders: they end
 * with the same order, all final; no final position ever moves; every reorder's rows are the rows
 * before and after.
 */
class TopicOrderPropertyTest {

  @Property(tries = 300)
  void shouldConvergeOnOneFinalOrderWhateverTheOrderOfDeliveriesAndConfirmations(
      @ForAll @IntRange(min = 1, max = 60) int count, @ForAll long seed) {
    Random random = new Random(seed);
    List<OrderedMessage> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(Messages.msg("chat", i, random.nextInt(50), random.nextInt(4)));
    }
    // The sequencer's arrival order, a restart half way (new epoch).
    List<OrderedMessage> arrival = new ArrayList<>(messages);
    Collections.shuffle(arrival, random);
    Map<MessageKey, FinalPosition> assigned = new HashMap<>();
    Sequencer s = new Sequencer(1, 0, new ClockBound(ClockBound.DEFAULT_MAX_JUMP));
    List<Assignment> journal = new ArrayList<>();
    for (int i = 0; i < arrival.size(); i++) {
      if (i == arrival.size() / 2) {
        s = new Sequencer(2, 0, new ClockBound(ClockBound.DEFAULT_MAX_JUMP));
        journal.forEach(s::restore);
      }
      s.submit(arrival.get(i), i);
      for (Assignment a : s.release(i)) {
        journal.add(a);
        assigned.put(a.message().id(), a.position());
      }
    }
    List<OrderRow> a = run(messages, assigned, random);
    List<OrderRow> b = run(messages, assigned, random);
    assertThat(a).extracting(r -> r.message().id()).containsExactlyElementsOf(ids(b));
    assertThat(a).allMatch(OrderRow::isFinal);
    assertThat(a).extracting(r -> r.position().seq()).isSorted();
  }

  private static List<MessageKey> ids(List<OrderRow> rows) {
    return rows.stream().map(r -> r.message().id()).toList();
  }

  /** One node: deliveries and confirmations interleaved at random. */
  private static List<OrderRow> run(
      List<OrderedMessage> messages, Map<MessageKey, FinalPosition> assigned, Random random) {
    TopicOrder order = new TopicOrder("chat");
    List<Object> inputs = new ArrayList<>(messages);
    inputs.addAll(assigned.entrySet());
    Collections.shuffle(inputs, random);
    Map<MessageKey, FinalPosition> seenFinal = new HashMap<>();
    for (Object in : inputs) {
      if (in instanceof OrderedMessage m) {
        order.deliver(m, 0);
      } else {
        @SuppressWarnings("unchecked")
        Map.Entry<MessageKey, FinalPosition> c = (Map.Entry<MessageKey, FinalPosition>) in;
        List<MessageKey> before = ids(order.rows());
        TopicOrder.Applied applied = order.confirm(c.getKey(), c.getValue());
        assertThat(applied).isIn(TopicOrder.Applied.FINAL, TopicOrder.Applied.AWAITING_MESSAGE);
        Reorder r = order.lastReorder();
        if (r != null) {
          assertThat(before.indexOf(c.getKey())).isEqualTo((int) r.oldRow());
          assertThat(ids(order.rows()).indexOf(c.getKey())).isEqualTo((int) r.newRow());
        }
        // Re-sending a confirmation changes nothing.
        assertThat(order.confirm(c.getKey(), c.getValue()))
            .isIn(TopicOrder.Applied.ALREADY, TopicOrder.Applied.AWAITING_MESSAGE);
      }
      for (OrderRow row : order.rows()) {
        if (row.isFinal()) {
          FinalPosition p = seenFinal.putIfAbsent(row.message().id(), row.position());
          assertThat(p == null || p.equals(row.position())).as("final moved").isTrue();
        }
      }
    }
    return order.rows();
  }
}
