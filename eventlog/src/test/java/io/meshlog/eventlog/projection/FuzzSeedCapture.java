package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the fuzz seed corpora of eventlog and reconciliation from a real node's journal (a {@code
 * meshlog demo} run, say): one record of each event type (the event codec's seeds), the gossip data
 * of delivered messages (the message envelope's seeds) and projection rows built from the journal's
 * peers and topics. Runs only when asked:
 *
 * <pre>
 *   mvn -pl eventlog -am test -Dtest=FuzzSeedCapture -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dmeshlog.fuzz.captureFrom=/path/to/node/journal
 * </pre>
 */
@EnabledIfSystemProperty(named = "meshlog.fuzz.captureFrom", matches = ".+")
class FuzzSeedCapture {

  private static final Path RESOURCES = Path.of("src/test/resources");
  private static final Path CODEC_SEEDS =
      RESOURCES.resolve(
          "io/meshlog/eventlog/EventCodecFuzzTestInputs/shouldDecodeAnyRecordOrRejectItClearly");
  private static final Path ENVELOPE_SEEDS =
      Path.of("../reconciliation/src/test/resources")
          .resolve(
              "io/meshlog/reconciliation/MessageEnvelopeFuzzTestInputs/shouldDecodeAnyGossipDataAndRoundTripEnvelopes");
  private static final Path ROW_SEEDS =
      RESOURCES.resolve(
          "io/meshlog/eventlog/projection/ProjectionRowsFuzzTestInputs/shouldDecodeAnyRowOrRejectItClearly");

  @Test
  void shouldCaptureFuzzSeedsFromRealRecords() throws IOException {
    Path journal = Path.of(System.getProperty("meshlog.fuzz.captureFrom"));
    Files.createDirectories(CODEC_SEEDS);
    Files.createDirectories(ENVELOPE_SEEDS);
    Files.createDirectories(ROW_SEEDS);
    Set<EventType> seen = EnumSet.noneOf(EventType.class);
    EventCodec codec = new EventCodec();
    int envelopes = 0;
    TopicRow topic = null;
    PeerRow peer = null;
    try (JournalReader r = Journals.openReader(journal)) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (seen.add(e.type())) {
          int n = codec.encode(e);
          write(CODEC_SEEDS, "record-" + e.type().name().toLowerCase(), codec.buffer(), n);
        }
        if (e.type() == EventType.DELIVER_MESSAGE && e.data() != null && envelopes < 8) {
          write(ENVELOPE_SEEDS, "delivered-" + envelopes++, e.data(), e.data().length);
        }
        if (topic == null && e.topic() != null) {
          topic = new TopicRow(e.topic());
          topic.messages = 1_000 + e.sequence();
          topic.bytes = 64_000;
          topic.latency.recordValueWithCount(8_000_000L, 17);
          topic.latency.recordValueWithCount(500_000_000L, 2);
        }
        if (peer == null && e.peer() != null) {
          peer = new PeerRow(e.peer().clone());
          peer.firstSeen = e.timeNanos();
          peer.lastSeen = e.timeNanos() + 1_000_000;
          peer.connections = 2;
        }
      }
    }
    if (topic != null) {
      ByteBuffer b = ByteBuffer.allocate(TopicRow.MAX_ENCODED_SIZE);
      topic.encode(b);
      writeRow(true, topic.topic.getBytes(StandardCharsets.UTF_8), b, "topic-row");
    }
    if (peer != null) {
      ByteBuffer b = ByteBuffer.allocate(PeerRow.ENCODED_SIZE);
      peer.encode(b);
      writeRow(false, peer.peer, b, "peer-row");
    }
  }

  private static void writeRow(boolean topicTable, byte[] key, ByteBuffer value, String name)
      throws IOException {
    byte[] v = Arrays.copyOf(value.array(), value.position());
    byte[] in = new byte[2 + key.length + v.length];
    in[0] = (byte) (topicTable ? 1 : 0);
    in[1] = (byte) key.length;
    System.arraycopy(key, 0, in, 2, key.length);
    System.arraycopy(v, 0, in, 2 + key.length, v.length);
    write(ROW_SEEDS, name, in, in.length);
  }

  private static void write(Path dir, String name, byte[] bytes, int length) throws IOException {
    Files.write(dir.resolve(name), Arrays.copyOf(bytes, length));
    System.out.println("seed " + dir.resolve(name) + " " + HexFormat.of().formatHex(bytes, 0, 8));
  }
}
