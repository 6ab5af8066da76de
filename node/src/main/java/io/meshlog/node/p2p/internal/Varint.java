package io.meshlog.node.p2p.internal;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints as libp2p and multiformats use them: length prefixes on streams (over
 * Netty buffers), and multihash, multiaddr and CID fields (over byte arrays). Limited to
 * non-negative {@code int} values: nothing meshlog reads from a peer needs more, and the limit
 * stops a hostile length from reaching an allocation. Reading a buffer never allocates and never
 * consumes a partial varint.
 *
 * <p>Stateless and thread-safe.
 */
public final class Varint {

  /** Returned by {@link #peek} when the buffer does not yet hold a whole varint. */
  public static final int INCOMPLETE = -1;

  /** Returned by {@link #peek} when the varint is longer than 4 bytes or above the int range. */
  public static final int TOO_LONG = -2;

  private Varint() {}

  /**
   * Reads the varint at the reader index without moving it.
   *
   * @return the value (>= 0), {@link #INCOMPLETE}, or {@link #TOO_LONG}
   */
  public static int peek(ByteBuf in) {
    int index = in.readerIndex();
    int end = in.writerIndex();
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      if (index >= end) {
        return INCOMPLETE;
      }
      int b = in.getByte(index++) & 0xff;
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return shift == 28 && b > 0x07 ? TOO_LONG : value;
      }
    }
    return TOO_LONG;
  }

  /** How many bytes {@code value} takes as a varint. */
  public static int size(int value) {
    int size = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** Appends {@code value} (>= 0) as a varint. */
  public static void write(ByteBuf out, int value) {
    while ((value & ~0x7f) != 0) {
      out.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  /** Writes {@code value} (>= 0) at {@code offset}; returns the offset after it. */
  public static int write(int value, byte[] out, int offset) {
    while ((value & ~0x7f) != 0) {
      out[offset++] = (byte) ((value & 0x7f) | 0x80);
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
  public static int read(byte[] in, int[] cursor) {
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
