package io.meshlog.node.p2p.internal.multistream;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints as libp2p uses them for length prefixes. Reading never allocates and
 * never consumes a partial varint.
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
}
