package io.meshlog.eventlog.projection;

import static io.meshlog.eventlog.projection.Events.of;
import static io.meshlog.eventlog.projection.Events.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The origin sequence and signature indexes that the sync server and recovery read. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginIndexTest {

  private static final String TOPIC = "/chat/1";

  @TempDir Path tmp;

  private final MemoryJournal journal = new MemoryJournal();

  /** An envelope as MessageEnvelope writes it (version 1), payload 3 bytes. */
  static byte[] envelope(long lamport, long sequence) {
    return ByteBuffer.allocate(36)
        .put(new byte[] {'M', 'L', 'E', 'V', 1})
        .putLong(lamport)
        .putLong(1_000L)
        .putLong(sequence)
        .putInt(3)
        .put(new byte[] {1, 2, 3})
        .array();
  }

  private Event message(EventType type, String topic, int origin, long sequence) {
    return of(type, 10 + sequence)
        .topic(topic)
        .lamport(sequence + 1)
        .origin(peer(origin))
        .originSeqno(1_000 + sequence)
        .messageId(("m-" + topic + origin + "-" + sequence).getBytes())
        .data(envelope(sequence + 1, sequence));
  }

  @Test
  void shouldFindEachOriginsHighestSequencePerTopic() {
    for (long s : new long[] {0, 1, 2, 5}) {
      journal.append(message(EventType.PUBLISH_MESSAGE, TOPIC, 1, s));
    }
    journal.append(message(EventType.DELIVER_MESSAGE, TOPIC, 2, 300).peer(peer(2)));
    journal.append(message(EventType.DELIVER_MESSAGE, "/other", 1, 9).peer(peer(2)));
    journal.append(
        of(EventType.DELIVER_MESSAGE, 99).topic(TOPIC).origin(peer(3)).data(new byte[5]));

    try (Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults())) {
      journal.feed(p, 0, journal.lastIndex(), 3);
      assertThat(p.lastOriginSequence(TOPIC, peer(1))).isEqualTo(5);
      assertThat(p.lastOriginSequence("/other", peer(1))).isEqualTo(9);
      assertThat(p.lastOriginSequence(TOPIC, peer(2))).isEqualTo(300);
      assertThat(p.lastOriginSequence(TOPIC, peer(3)))
          .as("plain data is not indexed")
          .isEqualTo(-1);
      assertThat(p.lastOriginSequence("/none", peer(1))).isEqualTo(-1);

      List<Long> seqs = new ArrayList<>();
      for (long[] e : p.originRange(TOPIC, peer(1), 1, 10, 100)) {
        seqs.add(e[0]);
      }
      assertThat(seqs).containsExactly(1L, 2L, 5L);
      assertThat(p.originRange(TOPIC, peer(1), 0, 10, 2)).hasSize(2);
      assertThat(p.originRange(TOPIC, peer(1), 0, 0, 10).get(0)[1]).isEqualTo(0L);

      Map<byte[], Long> heads = p.originHeads(TOPIC, 10);
      assertThat(heads.values()).containsExactly(5L, 300L);
    }
  }

  @Test
  void shouldPointAMessageIdAtItsSignatureRecord() {
    journal.append(message(EventType.PUBLISH_MESSAGE, TOPIC, 1, 0));
    journal.append(
        of(EventType.MESSAGE_SIGNATURE, 11)
            .topic(TOPIC)
            .messageId(("m-" + TOPIC + "1-0").getBytes())
            .data(new byte[66]));
    try (Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults())) {
      journal.feed(p, 0, journal.lastIndex(), 10);
      assertThat(p.signatureIndex(("m-" + TOPIC + "1-0").getBytes())).hasValue(1L);
      assertThat(p.messageIndex(("m-" + TOPIC + "1-0").getBytes())).hasValue(0L);
      assertThat(p.signatureIndex("nope".getBytes())).isEmpty();
    }
  }
}
