package io.meshlog.eventlog.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void shouldPlaceLatenciesInFixedLogBuckets() {
    assertThat(LatencyHistogram.bucketOf(0)).isZero();
    assertThat(LatencyHistogram.bucketOf(1023)).isZero();
    assertThat(LatencyHistogram.bucketOf(1024)).isEqualTo(1);
    assertThat(LatencyHistogram.bucketOf(2047)).isEqualTo(1);
    assertThat(LatencyHistogram.bucketOf(2048)).isEqualTo(2);
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    for (long v : new long[] {1, 999, 5_000, 1_000_000, 3_000_000_000L, 1L << 47}) {
      int b = LatencyHistogram.bucketOf(v);
      assertThat(v).isLessThan(LatencyHistogram.upperBoundNanos(b));
      if (b > 0) {
        assertThat(v).isGreaterThanOrEqualTo(LatencyHistogram.upperBoundNanos(b - 1));
      }
    }
  }

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
    assertThat(bytes).hasSize(7 * 8 + 2);
    assertThat(TopicRow.decode(row.name, bytes).toStats()).isEqualTo(row.toStats());
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
