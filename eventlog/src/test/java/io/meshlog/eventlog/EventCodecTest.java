package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventCodecTest {
  private final EventCodec codec = new EventCodec();

  private static Event full(EventType type) {
    return new Event()
        .type(type)
        .timeNanos(1_700_000_000_123_456_789L)
        .sequence(42)
        .peer(new byte[] {0, 36, 8, 1, 18, 32, 1, 2, 3})
        .topic("chat/🌍-é")
        .messageId(new byte[] {9, 8, 7, 6})
        .origin(new byte[] {1, 1, 2, 3, 5, 8})
        .originSeqno(Long.MAX_VALUE)
        .lamport(123_456)
        .size(4096)
        .direction(Direction.OUTBOUND)
        .value(-5_000_000L)
        .text("reason: \u0000 zero and \uD83D lone surrogate")
        .data("hello".getBytes(StandardCharsets.UTF_8))
        .via(Via.IWANT);
  }

  private Event roundTrip(Event in) {
    int len = codec.encode(in);
    byte[] copy = Arrays.copyOf(codec.buffer(), len);
    Event out = new Event();
    assertThat(codec.decode(copy, 0, len, out)).isTrue();
    return out;
  }

  @Test
  void shouldRoundTripEveryTypeWithEveryField() {
    for (EventType type : EventType.values()) {
      Event in = full(type);
      Event out = roundTrip(in);
      assertThat(out.type()).isEqualTo(type);
      assertThat(out.schemaVersion()).isEqualTo(EventCodec.SCHEMA_VERSION);
      assertThat(out.timeNanos()).isEqualTo(in.timeNanos());
      assertThat(out.sequence()).isEqualTo(42);
      assertThat(out.peer()).containsExactly(in.peer());
      assertThat(out.topic()).isEqualTo(in.topic());
      assertThat(out.messageId()).containsExactly(in.messageId());
      assertThat(out.origin()).containsExactly(in.origin());
      assertThat(out.originSeqno()).isEqualTo(Long.MAX_VALUE);
      assertThat(out.lamport()).isEqualTo(123_456);
      assertThat(out.size()).isEqualTo(4096);
      assertThat(out.direction()).isEqualTo(Direction.OUTBOUND);
      assertThat(out.value()).isEqualTo(-5_000_000L);
      assertThat(out.text()).isEqualTo(in.text().replace("\uD83D", "\uFFFD"));
      assertThat(out.data()).containsExactly(in.data());
      assertThat(out.via()).isEqualTo(Via.IWANT);
    }
  }

  @Test
  void shouldRoundTripEveryVia() {
    for (Via via : Via.values()) {
      Event out = roundTrip(new Event().type(EventType.DELIVER_MESSAGE).via(via));
      assertThat(out.via()).isEqualTo(via);
    }
    assertThat(Via.ofCode(200)).isEqualTo(Via.UNKNOWN);
  }

  @Test
  void shouldRoundTripRpcCountsAndIdsAsCopiesNotShared() {
    byte[] a = {1, 2, 3};
    byte[] b = {4, 5};
    Event in =
        new Event()
            .type(EventType.RECV_RPC)
            .peer(new byte[] {7})
            .size(300)
            .rpcCount(RpcPart.PUBLISH, 1)
            .rpcCount(RpcPart.IHAVE, 2)
            .rpcCount(RpcPart.IWANT, 0)
            .rpcCount(RpcPart.GRAFT, 3)
            .rpcCount(RpcPart.PRUNE, 4)
            .rpcCount(RpcPart.IDONTWANT, 500);
    in.addRpcId(RpcPart.PUBLISH, a);
    in.addRpcId(RpcPart.IHAVE, b);
    in.addRpcId(RpcPart.IHAVE, new byte[0]);
    Event slot = new Event().copyFrom(in);
    in.clear().type(EventType.SEND_RPC); // the producer reuses its event: the copy keeps its ids
    Event out = roundTrip(slot);
    assertThat(out.hasRpcCounts()).isTrue();
    assertThat(out.rpcCount(RpcPart.PUBLISH)).isEqualTo(1);
    assertThat(out.rpcCount(RpcPart.IHAVE)).isEqualTo(2);
    assertThat(out.rpcCount(RpcPart.IWANT)).isZero();
    assertThat(out.rpcCount(RpcPart.GRAFT)).isEqualTo(3);
    assertThat(out.rpcCount(RpcPart.PRUNE)).isEqualTo(4);
    assertThat(out.rpcCount(RpcPart.IDONTWANT)).isEqualTo(500);
    assertThat(out.rpcIdCount()).isEqualTo(3);
    assertThat(out.rpcIdPart(0)).isEqualTo(RpcPart.PUBLISH);
    assertThat(out.rpcId(0)).containsExactly(a);
    assertThat(out.rpcIdPart(1)).isEqualTo(RpcPart.IHAVE);
    assertThat(out.rpcId(1)).containsExactly(b);
    assertThat(out.rpcId(2)).isEmpty();
    assertThat(out.text()).isNull();
  }

  @Test
  void shouldBoundTheRpcIdList() {
    Event in = new Event().type(EventType.SEND_RPC).rpcCount(RpcPart.IHAVE, 100);
    for (int i = 0; i < 100; i++) {
      boolean listed = in.addRpcId(RpcPart.IHAVE, new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0});
      assertThat(listed).isEqualTo(i < Event.MAX_RPC_IDS);
    }
    Event out = roundTrip(in);
    assertThat(out.rpcIdCount()).isEqualTo(Event.MAX_RPC_IDS);
    assertThat(out.rpcId(Event.MAX_RPC_IDS - 1)[0]).isEqualTo((byte) (Event.MAX_RPC_IDS - 1));
    assertThat(out.rpcCount(RpcPart.IHAVE)).isEqualTo(100);
  }

  @Test
  void shouldCarryNoRpcFieldsFromTheLastRecordInAReusedEvent() {
    Event rpc = new Event().type(EventType.RECV_RPC).rpcCount(RpcPart.IWANT, 2);
    rpc.addRpcId(RpcPart.IWANT, new byte[] {1});
    int len = codec.encode(rpc);
    Event out = new Event();
    codec.decode(Arrays.copyOf(codec.buffer(), len), 0, len, out);
    len = codec.encode(new Event().type(EventType.JOIN).topic("t"));
    codec.decode(Arrays.copyOf(codec.buffer(), len), 0, len, out);
    assertThat(out.hasRpcCounts()).isFalse();
    assertThat(out.rpcIdCount()).isZero();
    assertThat(out.rpcCount(RpcPart.IWANT)).isZero();
  }

  @Test
  void shouldKeepTheTextSummaryOfAVersion1RpcRecord() {
    // RECV_RPC as schema version 1 wrote it: bits peer|size|direction|text (0x2C1 as varint
    // 0xC1 0x05), time 9, sequence 1, peer {7}, size 40, inbound, text "pub=1".
    byte[] v1 = {
      26, 1, (byte) 0xC1, 0x05, 9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 7, 40, 1, 5, 'p', 'u', 'b', '=', '1'
    };
    Event out = new Event();
    assertThat(codec.decode(v1, 0, v1.length, out)).isTrue();
    assertThat(out.type()).isEqualTo(EventType.RECV_RPC);
    assertThat(out.schemaVersion()).isEqualTo(1);
    assertThat(out.peer()).containsExactly(7);
    assertThat(out.size()).isEqualTo(40);
    assertThat(out.direction()).isEqualTo(Direction.INBOUND);
    assertThat(out.text()).isEqualTo("pub=1");
    assertThat(out.hasRpcCounts()).isFalse();
    assertThat(out.rpcIdCount()).isZero();
  }

  @Test
  void shouldReadAVersion1DeliverRecordWithUnknownVia() {
    // A DELIVER_MESSAGE exactly as schema version 1 wrote it, byte by byte: type 21, version 1,
    // presence bits peer|topic|messageId (0x07), time 5 (LE), sequence 3, then the fields.
    byte[] v1 = {
      21, 1, 0x07, 5, 0, 0, 0, 0, 0, 0, 0, 3, 2, (byte) 0xAA, (byte) 0xBB, 1, 't', 2, 0x01, 0x02
    };
    Event out = full(EventType.PING_RTT); // carries a via that must be cleared
    assertThat(codec.decode(v1, 0, v1.length, out)).isTrue();
    assertThat(out.type()).isEqualTo(EventType.DELIVER_MESSAGE);
    assertThat(out.schemaVersion()).isEqualTo(1);
    assertThat(out.timeNanos()).isEqualTo(5);
    assertThat(out.sequence()).isEqualTo(3);
    assertThat(out.peer()).containsExactly(0xAA, 0xBB);
    assertThat(out.topic()).isEqualTo("t");
    assertThat(out.messageId()).containsExactly(1, 2);
    assertThat(out.via()).isEqualTo(Via.UNKNOWN);
    assertThat(out.data()).isNull();
  }

  @Test
  void shouldKeepAbsentFieldsAbsentAtNoCost() {
    Event in = new Event().type(EventType.JOIN).timeNanos(7).sequence(1);
    int len = codec.encode(in);
    assertThat(len).isEqualTo(1 + 1 + 1 + 8 + 1);
    Event out = full(EventType.PING_RTT); // carries old values that must be cleared
    assertThat(codec.decode(Arrays.copyOf(codec.buffer(), len), 0, len, out)).isTrue();
    assertThat(out.type()).isEqualTo(EventType.JOIN);
    assertThat(out.peer()).isNull();
    assertThat(out.topic()).isNull();
    assertThat(out.messageId()).isNull();
    assertThat(out.origin()).isNull();
    assertThat(out.originSeqno()).isEqualTo(Event.ABSENT);
    assertThat(out.lamport()).isEqualTo(Event.ABSENT);
    assertThat(out.size()).isEqualTo(-1);
    assertThat(out.direction()).isEqualTo(Direction.NONE);
    assertThat(out.value()).isEqualTo(Event.ABSENT);
    assertThat(out.text()).isNull();
    assertThat(out.data()).isNull();
  }

  @Test
  void shouldNotConfuseZeroAndEmptyValuesWithAbsent() {
    Event in =
        new Event()
            .type(EventType.SCORE_SNAPSHOT)
            .value(0)
            .lamport(0)
            .size(0)
            .text("")
            .data(new byte[0]);
    Event out = roundTrip(in);
    assertThat(out.value()).isZero();
    assertThat(out.lamport()).isZero();
    assertThat(out.size()).isZero();
    assertThat(out.text()).isEmpty();
    assertThat(out.data()).isEmpty();
  }

  @Test
  void shouldSkipAnUnknownTypeCode() {
    int len = codec.encode(full(EventType.GRAFT));
    byte[] rec = Arrays.copyOf(codec.buffer(), len);
    rec[0] = (byte) 250;
    assertThat(codec.decode(rec, 0, len, new Event())).isFalse();
  }

  @Test
  void shouldDecodeKnownFieldsAndIgnoreNewOnesOfANewerSchemaVersion() {
    Event in = full(EventType.DELIVER_MESSAGE);
    int len = codec.encode(in);
    byte[] rec = withFutureField(Arrays.copyOf(codec.buffer(), len), 30, new byte[] {2, 'x', 'y'});
    Event out = new Event();
    assertThat(codec.decode(rec, 0, rec.length, out)).isTrue();
    assertThat(out.schemaVersion()).isEqualTo(EventCodec.SCHEMA_VERSION + 1);
    assertThat(out.data()).containsExactly(in.data());
    assertThat(out.topic()).isEqualTo(in.topic());
    assertThat(out.via()).isEqualTo(Via.IWANT);
  }

  /** A future writer's record: version + 1, presence bit {@code bit} set, its field appended. */
  static byte[] withFutureField(byte[] rec, int bit, byte[] field) {
    int p = 2;
    long bits = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = rec[p++];
      bits |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        break;
      }
    }
    bits |= 1L << bit;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(rec[0]);
    out.write(rec[1] + 1);
    while ((bits & ~0x7FL) != 0) {
      out.write((int) ((bits & 0x7F) | 0x80));
      bits >>>= 7;
    }
    out.write((int) bits);
    out.write(rec, p, rec.length - p);
    out.write(field, 0, field.length);
    return out.toByteArray();
  }

  @Test
  void shouldReportATruncatedRecordNotMisreadIt() {
    int len = codec.encode(full(EventType.PUBLISH_MESSAGE));
    byte[] rec = Arrays.copyOf(codec.buffer(), len);
    assertThatThrownBy(() -> codec.decode(rec, 0, len - 3, new Event()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the record");
  }

  @Test
  void shouldReuseArraysOfMatchingLengthAndTheTopicStringWhenDecoding() {
    Event in = full(EventType.DELIVER_MESSAGE);
    int len = codec.encode(in);
    byte[] rec = Arrays.copyOf(codec.buffer(), len);
    Event out = new Event();
    codec.decode(rec, 0, len, out);
    byte[] peer = out.peer();
    byte[] data = out.data();
    String topic = out.topic();
    codec.decode(rec, 0, len, out);
    assertThat(out.peer()).isSameAs(peer);
    assertThat(out.data()).isSameAs(data);
    assertThat(out.topic()).isSameAs(topic);
  }

  @Test
  void shouldReadOnlyTheTimeWhenPeeking() {
    int len = codec.encode(full(EventType.PRUNE));
    assertThat(EventCodec.peekTimeNanos(codec.buffer(), 0, len))
        .isEqualTo(1_700_000_000_123_456_789L);
  }

  @Test
  void shouldRoundTripTheSequencerPositionsOfSchema3() {
    Event in =
        new Event()
            .type(EventType.REORDER_APPLIED)
            .topic("chat")
            .messageId(new byte[] {1, 2})
            .lamport(10_000_000L)
            .epoch(3)
            .finalSeq(41)
            .oldPosition(7)
            .newPosition(0);
    Event out = roundTrip(in);
    assertThat(out.schemaVersion()).isEqualTo(3);
    assertThat(out.epoch()).isEqualTo(3);
    assertThat(out.finalSeq()).isEqualTo(41);
    assertThat(out.oldPosition()).isEqualTo(7);
    assertThat(out.newPosition()).isZero();
    assertThat(out.lamport()).isEqualTo(10_000_000L);
    assertThat(out.value()).isEqualTo(Event.ABSENT);
    EventView view = new EventView();
    int len = codec.encode(in);
    assertThat(view.wrap(Arrays.copyOf(codec.buffer(), len), 0, len)).isTrue();
    assertThat(view.epoch()).isEqualTo(3);
    assertThat(view.finalSeq()).isEqualTo(41);
    assertThat(view.oldPosition()).isEqualTo(7);
    assertThat(view.newPosition()).isZero();
  }

  @Test
  void shouldReadAVersion2SequenceRecordWithItsNumberInValueAndNoEpoch() {
    // SEQUENCE_ASSIGNED as schema version 2 wrote it: type 52, version 2, bits topic|messageId|
    // value (0x106 as varint 0x86 0x02), time 5, sequence 3, topic "t", id {1, 2}, value 41.
    byte[] v2 = {52, 2, (byte) 0x86, 0x02, 5, 0, 0, 0, 0, 0, 0, 0, 3, 1, 't', 2, 1, 2, 82};
    Event out = new Event().epoch(9).finalSeq(9).oldPosition(9).newPosition(9);
    assertThat(codec.decode(v2, 0, v2.length, out)).isTrue();
    assertThat(out.type()).isEqualTo(EventType.SEQUENCE_ASSIGNED);
    assertThat(out.schemaVersion()).isEqualTo(2);
    assertThat(out.value()).isEqualTo(41);
    assertThat(out.epoch()).isEqualTo(Event.ABSENT);
    assertThat(out.finalSeq()).isEqualTo(Event.ABSENT);
    assertThat(out.oldPosition()).isEqualTo(Event.ABSENT);
    assertThat(out.newPosition()).isEqualTo(Event.ABSENT);
  }

  @Test
  void shouldNotTakeAZeroEpochOrSeqForAbsent() {
    Event out = roundTrip(new Event().type(EventType.SEQUENCE_ASSIGNED).epoch(0).finalSeq(0));
    assertThat(out.epoch()).isZero();
    assertThat(out.finalSeq()).isZero();
    assertThat(out.oldPosition()).isEqualTo(Event.ABSENT);
  }
}
