package io.meshlog.node.p2p.internal.yamux;

import io.meshlog.node.p2p.internal.yamux.YamuxProtocolException.Violation;
import io.netty.buffer.ByteBuf;

/**
 * Incremental parser of the inbound byte stream into frame events. Headers split across reads are
 * collected in a fixed 12-byte array; DATA payloads are never accumulated but handed on piece by
 * piece, as retained slices of the read buffer, so a frame costs no copy and no allocation beyond
 * the slice. The payload length is checked against {@code yamux.maxFrameSize} from the header
 * alone.
 *
 * <p>Not thread-safe; owned by the session's event loop.
 */
final class YamuxFrameDecoder {

  /** Receives the frames in wire order. */
  interface FrameHandler {
    /** Called for every frame once its header is complete; DATA payload follows, if any. */
    void onHeader(int type, int flags, int streamId, long length) throws YamuxProtocolException;

    /** A piece of the current DATA frame's payload; the handler owns (releases) it. */
    void onPayload(ByteBuf piece) throws YamuxProtocolException;

    /** The current DATA frame is complete (also called for empty DATA frames). */
    void onDataEnd() throws YamuxProtocolException;
  }

  private final int maxFrameSize;
  private final byte[] header = new byte[YamuxHeader.SIZE];
  private int headerFill;
  private long payloadRemaining;

  YamuxFrameDecoder(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  /** Consumes all readable bytes of {@code in} (without releasing it). */
  void decode(ByteBuf in, FrameHandler handler) throws YamuxProtocolException {
    while (in.isReadable()) {
      if (payloadRemaining > 0) {
        int n = (int) Math.min(payloadRemaining, in.readableBytes());
        payloadRemaining -= n;
        handler.onPayload(in.readRetainedSlice(n));
        if (payloadRemaining == 0) {
          handler.onDataEnd();
        }
        continue;
      }
      int type;
      int flags;
      int streamId;
      long length;
      int version;
      if (headerFill == 0 && in.readableBytes() >= YamuxHeader.SIZE) {
        version = in.readUnsignedByte();
        type = in.readUnsignedByte();
        flags = in.readUnsignedShort();
        streamId = in.readInt();
        length = in.readUnsignedInt();
      } else {
        int n = Math.min(YamuxHeader.SIZE - headerFill, in.readableBytes());
        in.readBytes(header, headerFill, n);
        headerFill += n;
        if (headerFill < YamuxHeader.SIZE) {
          return;
        }
        headerFill = 0;
        version = header[0] & 0xFF;
        type = header[1] & 0xFF;
        flags = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        streamId = intAt(4);
        length = intAt(8) & 0xFFFFFFFFL;
      }
      if (version != YamuxHeader.VERSION) {
        throw new YamuxProtocolException(Violation.BAD_VERSION, "version " + version);
      }
      if (type > YamuxHeader.TYPE_GO_AWAY) {
        throw new YamuxProtocolException(Violation.UNKNOWN_TYPE, "type " + type);
      }
      if (type == YamuxHeader.TYPE_DATA && length > maxFrameSize) {
        throw new YamuxProtocolException(
            Violation.FRAME_TOO_LARGE, length + " bytes > yamux.maxFrameSize " + maxFrameSize);
      }
      handler.onHeader(type, flags, streamId, length);
      if (type == YamuxHeader.TYPE_DATA) {
        payloadRemaining = length;
        if (length == 0) {
          handler.onDataEnd();
        }
      }
    }
  }

  private int intAt(int offset) {
    return ((header[offset] & 0xFF) << 24)
        | ((header[offset + 1] & 0xFF) << 16)
        | ((header[offset + 2] & 0xFF) << 8)
        | (header[offset + 3] & 0xFF);
  }
}
