package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the origin sequence index: {@code u16 topic length, topic UTF-8, u8 origin length,
 * origin, envelope sequence}, the sequence big-endian (it is never negative, so bytewise order is
 * numeric order). All rows of one (topic, origin) share the prefix before the sequence.
 */
final class OriginSeqKey {

  private OriginSeqKey() {}

  static void write(ByteBuffer out, byte[] topic, byte[] origin, long sequence) {
    out.putShort((short) topic.length).put(topic);
    out.put((byte) origin.length).put(origin).putLong(sequence);
  }

  static byte[] topicPrefix(String topic) {
    return OrderingKey.prefix(topic);
  }

  static byte[] key(String topic, byte[] origin, long sequence) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + name.length + 1 + origin.length + 8);
    write(b, name, origin, sequence);
    return b.array();
  }

  /** The origin of a key whose topic prefix is {@code prefixLength} bytes long. */
  static byte[] origin(byte[] key, int prefixLength) {
    int n = key[prefixLength] & 0xFF;
    byte[] origin = new byte[n];
    System.arraycopy(key, prefixLength + 1, origin, 0, n);
    return origin;
  }

  static long sequence(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }
}
