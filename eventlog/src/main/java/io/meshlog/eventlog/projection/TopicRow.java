package io.meshlog.eventlog.projection;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The mutable in-memory row of one topic. Encoded as six big-endian int64 (messages, bytes, last
 * message time, duplicates, rejects, skewed latencies), then an int64 bitmap of the non-empty
 * latency buckets, then one unsigned varint count per set bit: a topic with a few busy buckets
 * costs a few bytes of histogram. The layout belongs to {@link ProjectionStore#SCHEMA_VERSION}.
 *
 * <p>Not thread-safe: owned by the projection writer's thread.
 */
final class TopicRow {

  static final int MAX_ENCODED_SIZE = 7 * Long.BYTES + LatencyHistogram.BUCKETS * 10;

  final String topic;

  /** The UTF-8 name, encoded once: it is the stats key and the prefix of ordering keys. */
  final byte[] name;

  long messages;
  long bytes;
  long lastMessage;
  long duplicates;
  long rejects;
  long latencySkewed;
  final long[] latency = new long[LatencyHistogram.BUCKETS];
  boolean dirty;

  TopicRow(String topic) {
    this.topic = topic;
    this.name = topic.getBytes(StandardCharsets.UTF_8);
  }

  void latency(long nanos) {
    if (nanos < 0) {
      latencySkewed++;
    } else {
      latency[LatencyHistogram.bucketOf(nanos)]++;
    }
  }

  void encode(ByteBuffer out) {
    out.putLong(messages)
        .putLong(bytes)
        .putLong(lastMessage)
        .putLong(duplicates)
        .putLong(rejects)
        .putLong(latencySkewed);
    long bitmap = 0;
    for (int i = 0; i < latency.length; i++) {
      if (latency[i] != 0) {
        bitmap |= 1L << i;
      }
    }
    out.putLong(bitmap);
    for (int i = 0; i < latency.length; i++) {
      if (latency[i] != 0) {
        putVarint(out, latency[i]);
      }
    }
  }

  static TopicRow decode(byte[] key, byte[] value) {
    TopicRow row = new TopicRow(new String(key, StandardCharsets.UTF_8));
    ByteBuffer in = ByteBuffer.wrap(value);
    try {
      readInto(row, in);
    } catch (BufferUnderflowException e) {
      // A damaged store: a row cut short is as malformed as one too long.
      throw new IllegalArgumentException("truncated topic row for " + row.topic, e);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("malformed topic row for " + row.topic);
    }
    return row;
  }

  private static void readInto(TopicRow row, ByteBuffer in) {
    row.messages = in.getLong();
    row.bytes = in.getLong();
    row.lastMessage = in.getLong();
    row.duplicates = in.getLong();
    row.rejects = in.getLong();
    row.latencySkewed = in.getLong();
    long bitmap = in.getLong();
    for (int i = 0; i < row.latency.length; i++) {
      if ((bitmap & (1L << i)) != 0) {
        row.latency[i] = getVarint(in);
      }
    }
    if ((bitmap >>> LatencyHistogram.BUCKETS) != 0) {
      throw new IllegalArgumentException("malformed topic row for " + row.topic);
    }
  }

  TopicStats toStats() {
    return new TopicStats(
        topic,
        messages,
        bytes,
        lastMessage,
        duplicates,
        rejects,
        new LatencyHistogram(latency),
        latencySkewed);
  }

  private static void putVarint(ByteBuffer out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
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
