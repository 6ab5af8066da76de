package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;

/**
 * The mutable in-memory row of one topic. Encoded as six big-endian int64 (messages, bytes, last
 * message time, duplicates, rejects, skewed latencies), then an int64 that says how the latency
 * histogram follows:
 *
 * <pre>
 *   top byte 0  legacy: the int64 is a bitmap of non-empty power-of-two buckets (bits 0..39),
 *               then one unsigned varint count per set bit (read, never written)
 *   top byte 1  {@link LatencyHistogram}'s HdrHistogram encoding follows, to the end of the value
 * </pre>
 *
 * A legacy bucket's samples read as the longest latency the bucket held (its upper bound less 1 ns,
 * as the old quantiles reported it); the next write of the row keeps them in the new format, and a
 * rebuild from the journal gives exact values. The layout belongs to {@link
 * ProjectionStore#SCHEMA_VERSION}.
 *
 * <p>Not thread-safe: owned by the projection writer's thread.
 */
final class TopicRow {

  static final int MAX_ENCODED_SIZE = 7 * Long.BYTES + LatencyHistogram.MAX_ENCODED_SIZE;

  /** Top byte of the latency format word: HdrHistogram encoding. */
  static final long LATENCY_HDR = 1L << 56;

  /** Legacy format: bucket count and first bucket shift of the power-of-two histogram. */
  private static final int LEGACY_BUCKETS = 40;

  private static final int LEGACY_FIRST_SHIFT = 10;

  final String topic;

  /** The UTF-8 name, encoded once: it is the stats key and the prefix of ordering keys. */
  final byte[] name;

  long messages;
  long bytes;
  long lastMessage;
  long duplicates;
  long rejects;
  long latencySkewed;
  final Histogram latency;
  boolean dirty;

  TopicRow(String topic) {
    this(topic, LatencyHistogram.newHistogram());
  }

  private TopicRow(String topic, Histogram latency) {
    this.topic = topic;
    this.name = topic.getBytes(StandardCharsets.UTF_8);
    this.latency = latency;
  }

  void latency(long nanos) {
    if (nanos < 0) {
      latencySkewed++;
    } else {
      LatencyHistogram.record(latency, nanos, 1);
    }
  }

  void encode(ByteBuffer out) {
    out.putLong(messages)
        .putLong(bytes)
        .putLong(lastMessage)
        .putLong(duplicates)
        .putLong(rejects)
        .putLong(latencySkewed)
        .putLong(LATENCY_HDR);
    LatencyHistogram.encode(latency, out);
  }

  static TopicRow decode(byte[] key, byte[] value) {
    String topic = new String(key, StandardCharsets.UTF_8);
    try {
      ByteBuffer in = ByteBuffer.wrap(value);
      long[] fixed = new long[6];
      for (int i = 0; i < fixed.length; i++) {
        fixed[i] = in.getLong();
      }
      long format = in.getLong();
      TopicRow row;
      if (format == LATENCY_HDR) {
        row = new TopicRow(topic, LatencyHistogram.decode(in));
      } else if ((format >>> LEGACY_BUCKETS) == 0) {
        row = new TopicRow(topic);
        readLegacy(format, in, row.latency);
      } else {
        throw new IllegalArgumentException("unknown latency format " + Long.toHexString(format));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes");
      }
      row.messages = fixed[0];
      row.bytes = fixed[1];
      row.lastMessage = fixed[2];
      row.duplicates = fixed[3];
      row.rejects = fixed[4];
      row.latencySkewed = fixed[5];
      return row;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed topic row for " + topic + ": " + e, e);
    }
  }

  private static void readLegacy(long bitmap, ByteBuffer in, Histogram into) {
    for (int i = 0; i < LEGACY_BUCKETS; i++) {
      if ((bitmap & (1L << i)) != 0) {
        long count = getVarint(in);
        long upper = i == LEGACY_BUCKETS - 1 ? Long.MAX_VALUE : 1L << (i + LEGACY_FIRST_SHIFT);
        LatencyHistogram.record(into, upper - 1, count);
      }
    }
  }

  /** A snapshot of this row: its histogram is copied, the row goes on being written. */
  TopicStats toStats() {
    return stats(LatencyHistogram.copyOf(latency));
  }

  /**
   * The stats of a stored row, for a reader: the decoded histogram is handed over rather than
   * copied, since no writer holds the row.
   */
  static TopicStats decodeStats(byte[] key, byte[] value) {
    TopicRow row = decode(key, value);
    return row.stats(LatencyHistogram.own(row.latency));
  }

  private TopicStats stats(LatencyHistogram latency) {
    return new TopicStats(
        topic, messages, bytes, lastMessage, duplicates, rejects, latency, latencySkewed);
  }

  private static long getVarint(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 64 bits");
  }
}
