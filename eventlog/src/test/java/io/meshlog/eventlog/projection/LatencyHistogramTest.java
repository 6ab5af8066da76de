package io.meshlog.eventlog.projection;

import static io.meshlog.eventlog.projection.Events.message;
import static io.meshlog.eventlog.projection.Events.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LatencyHistogramTest {

  private static final String TOPIC = "/chat/1";
  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

  @TempDir Path tmp;

  /** Deliveries with latencies spread log-uniformly from 1 us to 10 s, plus a few skewed ones. */
  private static MemoryJournal deliveries(long seed, int count) {
    Random r = new Random(seed);
    MemoryJournal journal = new MemoryJournal();
    long time = 1_700_000_000_000_000_000L;
    for (int i = 0; i < count; i++) {
      time += 1 + r.nextInt(1_000_000);
      long latency = (long) Math.pow(10, 3 + r.nextDouble() * 7);
      if (i % 500 == 7) {
        latency = -1 - r.nextInt(1000); // publisher's clock ahead
      }
      journal.append(
          message(EventType.DELIVER_MESSAGE, time, TOPIC, i, 1 + i % 7, i)
              .peer(peer(1 + i % 5))
              .value(time - latency));
    }
    return journal;
  }

  /** Latencies as the journal's DELIVER events give them: event time minus publish time. */
  private static long[] exactLatencies(MemoryJournal journal) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < journal.size(); i++) {
      Event e = journal.get(i);
      if (e.type() == EventType.DELIVER_MESSAGE && e.timeNanos() - e.value() >= 0) {
        out.add(e.timeNanos() - e.value());
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** The nearest-rank percentile: the smallest sample that at least p% of samples do not exceed. */
  private static long exactPercentile(long[] sorted, double p) {
    int rank = (int) Math.max(1, Math.ceil(p / 100 * sorted.length));
    return sorted[rank - 1];
  }

  @Test
  void shouldReportPercentilesWithinPrecisionOfTheJournalsDeliveryTimes() {
    MemoryJournal journal = deliveries(7, 20_000);
    long[] exact = exactLatencies(journal);
    try (Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults())) {
      journal.feed(p, 0, journal.lastIndex(), 64);
      TopicStats t = p.topic(TOPIC).orElseThrow();
      assertThat(t.latency().total()).isEqualTo(exact.length);
      assertThat(t.latencySkewed()).isEqualTo(journal.size() - exact.length);
      for (double q : PERCENTILES) {
        long want = exactPercentile(exact, q);
        long got = q == 100 ? t.latency().maxNanos() : t.latency().percentileNanos(q);
        assertThat(t.latency().sameToPrecision(got, want))
            .as("p%s: exact %d ns, reported %d ns", q, want, got)
            .isTrue();
        assertThat(Math.abs(got - want)).as("p%s within 1%%", q).isLessThanOrEqualTo(want / 100);
      }
    }
  }

  @Test
  void shouldRebuildRowsByteForByteEqualToLiveOnesAcrossRestarts() {
    MemoryJournal journal = deliveries(11, 5_000);
    Path dir = tmp.resolve("live");
    long half = journal.lastIndex() / 2;
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      journal.feed(p, 0, half, 33);
    }
    // the second half continues from rows decoded from disk
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      journal.feed(p, half + 1, journal.lastIndex(), 17);
      assertThat(p.verify(journal.reader()).identical()).isTrue();
    }
  }

  @Test
  void shouldReadLegacyPowerOfTwoRowsAsTheirBucketBounds() {
    // the old layout: six int64, a bitmap of buckets, one varint count per set bit
    ByteBuffer legacy = ByteBuffer.allocate(200);
    legacy.putLong(3).putLong(300).putLong(99).putLong(0).putLong(0).putLong(1);
    legacy.putLong((1L << 3) | (1L << 13)); // [4096, 8192) ns and [2^22, 2^23) ns
    legacy.put((byte) 2).put((byte) 1);
    byte[] bytes = Arrays.copyOf(legacy.array(), legacy.position());

    TopicRow row = TopicRow.decode(TOPIC.getBytes(StandardCharsets.UTF_8), bytes);
    TopicStats t = row.toStats();
    assertThat(t.messages()).isEqualTo(3);
    assertThat(t.latencySkewed()).isEqualTo(1);
    assertThat(t.latency().total()).isEqualTo(3);
    assertThat(t.latency().sameToPrecision(t.latency().percentileNanos(50), 8_191)).isTrue();
    assertThat(t.latency().sameToPrecision(t.latency().maxNanos(), (1L << 23) - 1)).isTrue();

    // written back, the row is in the new format and reads the same
    ByteBuffer out = ByteBuffer.allocate(TopicRow.MAX_ENCODED_SIZE);
    row.encode(out);
    byte[] rewritten = Arrays.copyOf(out.array(), out.position());
    assertThat(ByteBuffer.wrap(rewritten).getLong(6 * Long.BYTES)).isEqualTo(TopicRow.LATENCY_HDR);
    assertThat(TopicRow.decode(row.name, rewritten).toStats()).isEqualTo(t);
  }

  @Test
  void shouldRefuseUnknownAndTruncatedLatencyFormats() {
    TopicRow row = new TopicRow(TOPIC);
    row.latency(12_345);
    ByteBuffer out = ByteBuffer.allocate(TopicRow.MAX_ENCODED_SIZE);
    row.encode(out);
    byte[] good = Arrays.copyOf(out.array(), out.position());

    byte[] unknown = good.clone();
    unknown[6 * Long.BYTES] = 9;
    assertThatThrownBy(() -> TopicRow.decode(row.name, unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed topic row for " + TOPIC)
        .hasMessageContaining("unknown latency format");
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> TopicRow.decode(row.name, truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed topic row for " + TOPIC);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> TopicRow.decode(row.name, trailing))
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void shouldClampLatenciesBeyondOneDayAndReportEmptyAsMinusOne() {
    TopicRow row = new TopicRow(TOPIC);
    assertThat(row.toStats().latency().percentileNanos(99)).isEqualTo(-1);
    assertThat(row.toStats().latency().maxNanos()).isEqualTo(-1);
    row.latency(Long.MAX_VALUE);
    LatencyHistogram h = row.toStats().latency();
    assertThat(h.sameToPrecision(h.maxNanos(), LatencyHistogram.HIGHEST_TRACKABLE_NANOS)).isTrue();
  }
}
