package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the ordering index: {@code u16 topic length, topic UTF-8, lamport, u8 origin length,
 * origin, origin seqno}, numbers big-endian with the sign bit flipped so that RocksDB's bytewise
 * order is numeric order. All rows of a topic share the prefix {@code u16 length, topic}.
 */
final class OrderingKey {

  private OrderingKey() {}

  static void write(ByteBuffer out, byte[] topic, long lamport, byte[] origin, long seqno) {
    out.putShort((short) topic.length).put(topic).putLong(lamport ^ Long.MIN_VALUE);
    if (origin == null) {
      out.put((byte) 0);
    } else {
      out.put((byte) origin.length).put(origin);
    }
    out.putLong(seqno ^ Long.MIN_VALUE);
  }

  /** The prefix every key of {@code topic} starts with. */
  static byte[] prefix(String topic) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + name.length).putShort((short) name.length).put(name).array();
  }

  static boolean hasPrefix(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static OrderingEntry decode(String topic, byte[] key, byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(key);
    in.position(2 + (in.getShort() & 0xFFFF));
    long lamport = in.getLong() ^ Long.MIN_VALUE;
    byte[] origin = new byte[in.get() & 0xFF];
    in.get(origin);
    long seqno = in.getLong() ^ Long.MIN_VALUE;
    return new OrderingEntry(topic, lamport, origin, seqno, ByteBuffer.wrap(value).getLong());
  }
}
