package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.internal.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.function.Consumer;

/**
 * Splits a byte stream into varint-length-prefixed messages. The length is checked against the cap
 * before a byte of the message is copied; partial input is kept (as a composite of the received
 * buffers, no copy) until a whole message is there.
 *
 * <p>Not thread-safe: owned by the stream's I/O thread. {@link #release()} when done.
 */
final class MessageFramer {

  private final int maxMessageBytes;
  private final CompositeByteBuf cumulation;

  MessageFramer(ByteBufAllocator alloc, int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.cumulation = alloc.compositeBuffer(64);
  }

  /**
   * Takes ownership of {@code data} and hands every complete message to {@code onMessage}.
   *
   * @return null, or the reason the input is malformed (then nothing more should be fed)
   */
  String feed(ByteBuf data, Consumer<byte[]> onMessage) {
    if (cumulation.refCnt() == 0) {
      data.release();
      return null;
    }
    cumulation.addComponent(true, data);
    while (true) {
      int length = Varint.peek(cumulation);
      if (length == Varint.INCOMPLETE) {
        break;
      }
      if (length == Varint.TOO_LONG || length > maxMessageBytes) {
        return "message longer than " + maxMessageBytes + " bytes";
      }
      int prefix = Varint.size(length);
      if (cumulation.readableBytes() < prefix + length) {
        break;
      }
      cumulation.skipBytes(prefix);
      byte[] message = new byte[length];
      cumulation.readBytes(message);
      onMessage.accept(message);
      if (cumulation.refCnt() == 0) {
        return null; // the consumer released us (stream reset from inside the callback)
      }
    }
    cumulation.discardReadComponents();
    return null;
  }

  /** True when part of a message is waiting for the rest. */
  boolean hasPartial() {
    return cumulation.isReadable();
  }

  void release() {
    if (cumulation.refCnt() > 0) {
      cumulation.release();
    }
  }
}
