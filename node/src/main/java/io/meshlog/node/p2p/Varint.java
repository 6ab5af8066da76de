package io.meshlog.node.p2p;

/**
 * Unsigned LEB128 varints as multiformats uses them (multihash, multiaddr, CID). Limited to
 * non-negative {@code int} values: nothing meshlog reads from a peer needs more, and the limit
 * stops a hostile length from reaching an allocation.
 *
 * <p>Stateless and thread-safe.
 */
final class Varint {

  private Varint() {}

  /** Number of bytes {@link #write} uses for {@code value}. */
  static int size(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  static int write(int value, byte[] out, int offset) {
    while ((value & ~0x7F) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  /**
   * Reads a varint at {@code cursor[0]} and advances the cursor.
   *
   * @throws IllegalArgumentException if the input ends inside the varint or the value does not fit
   *     in a non-negative int
   */
  static int read(byte[] in, int[] cursor) {
    long value = 0;
    int shift = 0;
    int pos = cursor[0];
    while (true) {
      if (pos >= in.length) {
        throw new IllegalArgumentException("truncated varint at byte " + cursor[0]);
      }
      int b = in[pos++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 28) {
        throw new IllegalArgumentException("varint too long at byte " + cursor[0]);
      }
    }
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("varint out of range at byte " + cursor[0]);
    }
    cursor[0] = pos;
    return (int) value;
  }
}
