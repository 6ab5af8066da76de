package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-place view reads exactly what the codec decodes, from records and from a real journal. */
@Timeout(60)
class EventViewTest {
  @TempDir Path dir;

  private final EventCodec codec = new EventCodec();

  private static Event full(EventType type) {
    Event e =
        new Event()
            .type(type)
            .timeNanos(1_700_000_000_123_456_789L)
            .sequence(300_000)
            .peer(new byte[] {0, 36, 8, 1, 18, 32, 1, 2, 3})
            .topic("chat/é")
            .messageId(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11})
            .origin(new byte[] {1, 1, 2, 3, 5, 8})
            .originSeqno(-3)
            .lamport(1L << 40)
            .size(4096)
            .direction(Direction.INBOUND)
            .value(Long.MIN_VALUE + 1)
            .text("why")
            .data("hello world".getBytes(StandardCharsets.UTF_8))
            .via(Via.FLOOD)
            .rpcCount(RpcPart.IWANT, 2)
            .rpcCount(RpcPart.IDONTWANT, 70_000);
    e.addRpcId(RpcPart.IWANT, new byte[] {1, 2});
    e.addRpcId(RpcPart.IWANT, new byte[] {3});
    return e;
  }

  private byte[] encode(Event e) {
    return Arrays.copyOf(codec.buffer(), codec.encode(e));
  }

  @Test
  void shouldReadEveryFieldInPlace() {
    Event in = full(EventType.DELIVER_MESSAGE);
    byte[] rec = encode(in);
    byte[] framed = new byte[rec.length + 10];
    System.arraycopy(rec, 0, framed, 5, rec.length); // not at offset 0: offsets are honoured
    EventView v = new EventView();
    assertThat(v.wrap(framed, 5, rec.length)).isTrue();
    assertThat(v.type()).isEqualTo(EventType.DELIVER_MESSAGE);
    assertThat(v.schemaVersion()).isEqualTo(EventCodec.SCHEMA_VERSION);
    assertThat(v.timeNanos()).isEqualTo(in.timeNanos());
    assertThat(v.sequence()).isEqualTo(300_000);
    assertThat(v.peer()).containsExactly(in.peer());
    assertThat(v.bytesEqual(v.peerOffset(), v.peerLength(), in.peer())).isTrue();
    assertThat(v.topic()).isEqualTo("chat/é").isSameAs(v.topic());
    assertThat(v.messageId()).containsExactly(in.messageId());
    assertThat(v.origin()).containsExactly(in.origin());
    assertThat(v.originSeqno()).isEqualTo(-3);
    assertThat(v.lamport()).isEqualTo(1L << 40);
    assertThat(v.size()).isEqualTo(4096);
    assertThat(v.direction()).isEqualTo(Direction.INBOUND);
    assertThat(v.value()).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(v.text()).isEqualTo("why");
    assertThat(v.data()).containsExactly(in.data());
    assertThat(v.via()).isEqualTo(Via.FLOOD);
    assertThat(v.rpcCount(RpcPart.IWANT)).isEqualTo(2);
    assertThat(v.rpcCount(RpcPart.IDONTWANT)).isEqualTo(70_000);
    assertThat(v.rpcIdCount()).isEqualTo(2);
    assertThat(v.rpcIdPart(1)).isEqualTo(RpcPart.IWANT);
    assertThat(v.bytesEqual(v.rpcIdOffset(0), v.rpcIdLength(0), new byte[] {1, 2})).isTrue();
    assertThat(v.hash(v.messageIdOffset(), v.messageIdLength()))
        .isEqualTo(EventView.hash(in.messageId(), 0, in.messageId().length));
  }

  @Test
  void shouldGiveAbsentFieldsLengthMinusOneAndHashZero() {
    EventView v = new EventView();
    byte[] full = encode(full(EventType.GRAFT));
    v.wrap(full, 0, full.length);
    byte[] rec = encode(new Event().type(EventType.JOIN).timeNanos(1).sequence(2));
    assertThat(v.wrap(rec, 0, rec.length)).isTrue();
    assertThat(v.peerLength()).isEqualTo(-1);
    assertThat(v.topic()).isNull();
    assertThat(v.messageIdLength()).isEqualTo(-1);
    assertThat(v.peer()).isNull();
    assertThat(v.text()).isNull();
    assertThat(v.via()).isEqualTo(Via.UNKNOWN);
    assertThat(v.hasRpcCounts()).isFalse();
    assertThat(v.rpcIdCount()).isZero();
    assertThat(v.rpcCount(RpcPart.IWANT)).isZero();
    assertThat(v.hash(v.peerOffset(), v.peerLength())).isZero();
  }

  @Test
  void shouldHashDifferentBytesOfEveryLengthDifferently() {
    for (int len = 0; len < 40; len++) {
      byte[] a = new byte[len];
      for (int i = 0; i < len; i++) {
        a[i] = (byte) (i * 7 + 1);
        byte[] b = a.clone();
        b[i] ^= 1;
        assertThat(EventView.hash(b, 0, len)).isNotEqualTo(EventView.hash(a, 0, len));
      }
    }
    assertThat(EventView.hash(new byte[0], 0, 0)).isNotEqualTo(EventView.hash(new byte[1], 0, 1));
  }

  @Test
  void shouldReportMalformedRecordsAndSkipUnknownTypes() {
    byte[] rec = encode(full(EventType.PUBLISH_MESSAGE));
    EventView v = new EventView();
    for (int cut = 1; cut < rec.length - 12; cut++) {
      int length = rec.length - cut;
      assertThatThrownBy(() -> v.wrap(rec, 0, length))
          .as("cut by %d", cut)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("record");
    }
    byte[] unknown = rec.clone();
    unknown[0] = (byte) 251;
    assertThat(v.wrap(unknown, 0, unknown.length)).isFalse();
    byte[] v0 = rec.clone();
    v0[1] = 0;
    assertThatThrownBy(() -> v.wrap(v0, 0, v0.length)).hasMessageContaining("version 0");
  }

  @Test
  void shouldGiveTheSameEventsThroughViewAndEventFromAJournalReader() throws Exception {
    List<Event> written = new ArrayList<>();
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(dir.resolve("journal")).ringSize(64).build(), List.of())) {
      for (EventType type : EventType.values()) {
        Event e = full(type).timeNanos(1_000 + type.code());
        written.add(new Event().copyFrom(e));
        journal.sink().publish(e);
      }
      Await.until(
          "all appended",
          () -> journal.counter(JournalCounter.EVENTS_APPENDED) == EventType.values().length);
    }
    List<String> viaEvent = new ArrayList<>();
    List<String> viaView = new ArrayList<>();
    try (JournalReader r = Journals.openReader(dir.resolve("journal"))) {
      Event e = new Event();
      long index;
      while ((index = r.next(e)) >= 0) {
        viaEvent.add(index + " " + e);
      }
      r.toStart();
      EventView v = new EventView();
      Event scratch = new Event();
      while ((index = r.next(v)) >= 0) {
        viaView.add(index + " " + v.toEvent(scratch));
        assertThat(v.peer()).containsExactly(written.get(viaView.size() - 1).peer());
      }
    }
    assertThat(viaView).hasSize(EventType.values().length).isEqualTo(viaEvent);
  }
}
