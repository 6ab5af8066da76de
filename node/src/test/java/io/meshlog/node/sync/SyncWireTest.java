package io.meshlog.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.node.sync.SyncWire.Answer;
import io.meshlog.node.sync.SyncWire.Entry;
import io.meshlog.node.sync.SyncWire.Final;
import io.meshlog.node.sync.SyncWire.Kind;
import io.meshlog.node.sync.SyncWire.Request;
import io.meshlog.node.sync.SyncWire.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncWireTest {

  private static byte[] id(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldCarryARangeRequestAndAFinalIdsRequestUnchanged() {
    Request range = Request.byRange("blocks", 3, 10, 20, 500, 1 << 20);
    Request ids = Request.finalIds("blocks", 0, 1, 65_535, 100, 4096);

    Request r = SyncWire.decodeRequest(SyncWire.encode(range));
    Request i = SyncWire.decodeRequest(SyncWire.encode(ids));

    assertThat(r.kind()).isEqualTo(Kind.BY_RANGE);
    assertThat(List.of(r.topic(), r.epoch(), r.from(), r.to(), r.maxMessages(), r.maxBytes()))
        .containsExactly("blocks", 3L, 10L, 20L, 500, 1 << 20);
    assertThat(i.kind()).isEqualTo(Kind.FINAL_IDS);
    assertThat(List.of(i.epoch(), i.from(), i.to(), i.maxMessages(), i.maxBytes()))
        .containsExactly(0L, 1L, 65_535L, 100, 4096);
  }

  @Test
  void shouldCarryFinalRowsTheirHeadAndMoreAndNoHeadAsMinusOne() {
    Answer a =
        Answer.finals(
            42, 30, List.of(new Final(7, 2, id("m7")), new Final(9, 2, id("m9-longer"))), true);

    Answer back = SyncWire.decodeAnswer(Kind.FINAL_IDS, SyncWire.encode(Kind.FINAL_IDS, a));
    Answer none =
        SyncWire.decodeAnswer(
            Kind.FINAL_IDS,
            SyncWire.encode(Kind.FINAL_IDS, Answer.finals(-1, -1, List.of(), false)));

    assertThat(back.status()).isEqualTo(Status.OK);
    assertThat(back.finalHead()).isEqualTo(42);
    assertThat(back.finalThrough()).isEqualTo(30);
    assertThat(back.more()).isTrue();
    assertThat(back.finals()).hasSize(2);
    assertThat(back.finals().get(1).seq()).isEqualTo(9);
    assertThat(back.finals().get(1).epoch()).isEqualTo(2);
    assertThat(back.finals().get(1).messageId()).isEqualTo(id("m9-longer"));
    assertThat(none.finalHead()).isEqualTo(-1);
    assertThat(none.finalThrough()).isEqualTo(-1);
    assertThat(none.finals()).isEmpty();
  }

  @Test
  void shouldCarryRangeEntriesWithTheirFinalSeq() {
    Answer a =
        new Answer(
            Status.OK,
            "",
            List.of(),
            List.of(new Entry(11, id("m11"), new byte[] {1, 2, 3})),
            false);

    Answer back = SyncWire.decodeAnswer(Kind.BY_RANGE, SyncWire.encode(Kind.BY_RANGE, a));

    assertThat(back.entries()).hasSize(1);
    assertThat(back.entries().get(0).sequence()).isEqualTo(11);
    assertThat(back.entries().get(0).message()).containsExactly(1, 2, 3);
    assertThat(back.more()).isFalse();
  }

  @Test
  void shouldRejectATruncatedOrOverlongFinalIdsAnswerNamingWhatIsWrong() {
    byte[] good =
        SyncWire.encode(
            Kind.FINAL_IDS, Answer.finals(5, 5, List.of(new Final(5, 1, id("m5"))), false));

    assertThatThrownBy(
            () -> SyncWire.decodeAnswer(Kind.FINAL_IDS, Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(
            () -> SyncWire.decodeAnswer(Kind.FINAL_IDS, Arrays.copyOf(good, good.length - 20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(
            () -> SyncWire.decodeAnswer(Kind.FINAL_IDS, Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the answer");
  }

  @Test
  void shouldRejectARangeRequestThatRunsBackwards() {
    byte[] bad = SyncWire.encode(Request.byRange("blocks", 0, 20, 10, 1, 1));

    assertThatThrownBy(() -> SyncWire.decodeRequest(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad range 20..10");
  }
}
