package io.meshlog.reconciliation.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The sequencer through random arrival orders, resubmissions and restarts: final positions never
 * change and never repeat, epochs are never reused, and every message ends up final.
 */
class SequencerPropertyTest {
  private static final int MESSAGES = 40;

  /** One step: submit message n (resubmissions are the repeats), release, or restart. */
  record Step(int kind, int n, long lamport, int topic, long dt) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, MESSAGES - 1),
                Arbitraries.longs().between(0, 200),
                Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(0, 80))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 300)
  void shouldNeverChangeOrRepeatAFinalPosition(
      @ForAll("steps") List<Step> steps, @ForAll("holdBacks") long holdBack) {
    ClockBound bound = new ClockBound(ClockBound.DEFAULT_MAX_JUMP);
    List<Assignment> journal = new ArrayList<>();
    long epoch = 1;
    Set<Long> epochs = new HashSet<>(List.of(epoch));
    Sequencer s = new Sequencer(epoch, holdBack, bound);
    Map<MessageKey, OrderedMessage> submitted = new HashMap<>();
    long now = 0;
    for (Step step : steps) {
      now += step.dt();
      if (step.kind() == 0) { // kill and restart: held messages are lost, the journal is not
        epoch = Sequencer.nextEpoch(epoch);
        assertThat(epochs.add(epoch)).as("epoch reused").isTrue();
        s = new Sequencer(epoch, holdBack, bound);
        journal.forEach(s::restore);
      } else if (step.kind() <= 3) {
        journal.addAll(s.release(now));
      } else {
        // The same id always carries the same facts: a message's topic and time never change.
        OrderedMessage m =
            submitted.computeIfAbsent(
                Messages.id(step.n()),
                id -> Messages.msg("t" + step.topic(), step.n(), step.lamport(), step.n() % 3));
        s.submit(m, now);
      }
    }
    // Nodes resubmit whatever they do not see final, until all is.
    for (OrderedMessage m : submitted.values()) {
      s.submit(m, now);
    }
    journal.addAll(s.release(Long.MAX_VALUE));

    Map<MessageKey, FinalPosition> first = new HashMap<>();
    Map<String, Set<Long>> seqs = new HashMap<>();
    Map<String, Long> lastSeq = new HashMap<>();
    for (Assignment a : journal) {
      String topic = a.message().topic();
      assertThat(first.putIfAbsent(a.message().id(), a.position()))
          .as("message assigned twice: %s", a)
          .isNull();
      assertThat(seqs.computeIfAbsent(topic, t -> new HashSet<>()).add(a.position().seq()))
          .as("seq given twice: %s", a)
          .isTrue();
      assertThat(a.position().seq()).isGreaterThan(lastSeq.getOrDefault(topic, -1L));
      lastSeq.put(topic, a.position().seq());
    }
    assertThat(first.keySet()).isEqualTo(submitted.keySet());
    for (OrderedMessage m : submitted.values()) {
      assertThat(s.positionOf(m.topic(), m.id())).isEqualTo(first.get(m.id()));
    }
    assertThat(s.heldCount()).isZero();
  }

  @Provide
  Arbitrary<Long> holdBacks() {
    return Arbitraries.of(0L, 10L, 100L);
  }

  @Property(tries = 200)
  void shouldGiveOnTimeMessagesTheirArrivalOrder(
      @ForAll("lamports") List<Long> lamports, @ForAll("holdBacks") long holdBack) {
    // With nothing final before them and nothing late among them, arrival order is final order.
    Sequencer s = new Sequencer(1, holdBack, new ClockBound(ClockBound.DEFAULT_MAX_JUMP));
    List<MessageKey> arrival = new ArrayList<>();
    for (int i = 0; i < lamports.size(); i++) {
      s.submit(Messages.msg(i, lamports.get(i)), 0);
      arrival.add(Messages.id(i));
    }
    List<Assignment> out = s.release(holdBack);
    assertThat(out).extracting(a -> a.message().id()).containsExactlyElementsOf(arrival);
  }

  @Provide
  Arbitrary<List<Long>> lamports() {
    return Arbitraries.longs().between(0, 1000).list().ofMaxSize(50);
  }
}
