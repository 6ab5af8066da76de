package io.meshlog.node.p2p.internal.yamux;

import io.netty.buffer.ByteBuf;

/**
 * Wire constants of the yamux frame header and its encoder.
 *
 * <pre>
 *   | version:8 | type:8 | flags:16 | stream id:32 | length:32 |   big-endian, 12 bytes
 * </pre>
 *
 * <p>{@code length} is the payload size for DATA, the window delta for WINDOW_UPDATE, an opaque
 * value for PING and the error code for GO_AWAY; only DATA frames carry a payload.
 */
final class YamuxHeader {
  static final int SIZE = 12;
  static final int VERSION = 0;

  static final int TYPE_DATA = 0;
  static final int TYPE_WINDOW_UPDATE = 1;
  static final int TYPE_PING = 2;
  static final int TYPE_GO_AWAY = 3;

  static final int FLAG_SYN = 0x1;
  static final int FLAG_ACK = 0x2;
  static final int FLAG_FIN = 0x4;
  static final int FLAG_RST = 0x8;

  static final int GO_AWAY_NORMAL = 0;
  static final int GO_AWAY_PROTOCOL_ERROR = 1;
  static final int GO_AWAY_INTERNAL_ERROR = 2;

  /** Window each side assumes for every new stream before any update (fixed by the spec). */
  static final int INITIAL_WINDOW = 256 * 1024;

  private YamuxHeader() {}

  static void write(ByteBuf out, int type, int flags, int streamId, int length) {
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt(length);
  }
}
