package io.meshlog.eventlog.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void shouldRoundTripTopicRowCompactly() {
    TopicRow row = new TopicRow("/t/é");
    row.messages = 5;
    row.bytes = Long.MAX_VALUE;
    row.lastMessage = -3;
    row.latency(10);
    row.latency(1L << 40);
    row.latency(1L << 40);
    row.latency(-1);
    ByteBuffer buf = ByteBuffer.allocate(TopicRow.MAX_ENCODED_SIZE);
    row.encode(buf);
    byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
    assertThat(bytes).as("two latencies: a header and a few count bytes").hasSizeLessThan(120);
    TopicRow decoded = TopicRow.decode(row.name, bytes);
    assertThat(decoded.toStats()).isEqualTo(row.toStats());
    ByteBuffer again = ByteBuffer.allocate(TopicRow.MAX_ENCODED_SIZE);
    decoded.encode(again);
    assertThat(Arrays.copyOf(again.array(), again.position())).isEqualTo(bytes);
  }

  @Test
  void shouldRoundTripPeerRow() {
    PeerRow row = new PeerRow(Events.peer(3));
    row.seen(7);
    row.seen(9);
    row.bytesIn = 1L << 50;
    row.lastRtt = 12;
    ByteBuffer buf = ByteBuffer.allocate(PeerRow.ENCODED_SIZE);
    row.encode(buf);
    assertThat(PeerRow.decode(row.peer, buf.array()).toStats()).isEqualTo(row.toStats());
  }

  @Test
  void shouldFindPeersByContentAcrossGrowth() {
    PeerTable table = new PeerTable();
    for (int i = 0; i < 5000; i++) {
      table.getOrCreate(Events.peer(i)).connections = i;
    }
    assertThat(table.size()).isEqualTo(5000);
    for (int i = 0; i < 5000; i++) {
      assertThat(table.getOrCreate(Events.peer(i)).connections).isEqualTo(i);
    }
    assertThat(table.size()).isEqualTo(5000);
  }
}
