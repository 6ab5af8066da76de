package io.meshlog.node.gossipsub.internal;

import java.util.function.Consumer;

/**
 * Splits a gossip stream's bytes into RPCs: each RPC on the wire is an unsigned-varint length
 * followed by that many bytes (as js and go frame them). Chunks may split frames anywhere. The
 * length is checked against the limit before the frame's buffer is allocated, so a peer cannot make
 * us allocate more than {@code maxRpcSize} per stream.
 *
 * <p>Not thread-safe: one reader per stream, fed by the stream's event loop.
 */
public final class RpcFrameReader {
  private final int maxRpcSize;
  private final Consumer<byte[]> onFrame;
  private int lengthSoFar;
  private int lengthShift;
  private byte[] frame;
  private int filled;
  private boolean failed;

  public RpcFrameReader(int maxRpcSize, Consumer<byte[]> onFrame) {
    this.maxRpcSize = maxRpcSize;
    this.onFrame = onFrame;
  }

  /**
   * Consumes {@code len} bytes of {@code chunk} from {@code off}, handing every completed frame to
   * the consumer.
   *
   * @throws RpcDecodeException when a frame's length is malformed or above the limit; the reader is
   *     then unusable and the stream should be reset
   */
  public void feed(byte[] chunk, int off, int len) throws RpcDecodeException {
    if (failed) {
      throw new RpcDecodeException("stream already failed");
    }
    int end = off + len;
    int i = off;
    while (i < end) {
      if (frame == null) {
        int b = chunk[i++] & 0xff;
        if (lengthShift == 28 && (b & 0xf0) != 0) {
          throw fail("malformed frame length");
        }
        lengthSoFar |= (b & 0x7f) << lengthShift;
        if ((b & 0x80) != 0) {
          lengthShift += 7;
          if (lengthShift > 28) {
            throw fail("malformed frame length");
          }
          continue;
        }
        int length = lengthSoFar;
        lengthSoFar = 0;
        lengthShift = 0;
        if (length < 0 || length > maxRpcSize) {
          throw fail(
              "frame of "
                  + Integer.toUnsignedString(length)
                  + " bytes exceeds maxRpcSize "
                  + maxRpcSize);
        }
        frame = new byte[length];
        filled = 0;
      }
      int n = Math.min(end - i, frame.length - filled);
      System.arraycopy(chunk, i, frame, filled, n);
      filled += n;
      i += n;
      if (filled == frame.length) {
        byte[] done = frame;
        frame = null;
        onFrame.accept(done);
      }
    }
  }

  /** True when no frame is partly read (a clean place for the stream to end). */
  public boolean atFrameBoundary() {
    return frame == null && lengthShift == 0;
  }

  private RpcDecodeException fail(String reason) {
    failed = true;
    return new RpcDecodeException(reason);
  }

  /** {@code rpc} with its varint length prefix, ready to write to a stream. */
  public static byte[] frame(byte[] rpc) {
    int prefix = 1;
    for (int v = rpc.length >>> 7; v != 0; v >>>= 7) {
      prefix++;
    }
    byte[] out = new byte[prefix + rpc.length];
    int v = rpc.length;
    int i = 0;
    while ((v & ~0x7f) != 0) {
      out[i++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[i++] = (byte) v;
    System.arraycopy(rpc, 0, out, i, rpc.length);
    return out;
  }
}
