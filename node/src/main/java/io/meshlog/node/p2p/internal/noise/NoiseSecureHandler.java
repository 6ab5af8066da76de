package io.meshlog.node.p2p.internal.noise;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CoalescingBufferQueue;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * Secures a connection with Noise ({@code /noise}): runs the XX handshake with the libp2p payload,
 * then decrypts inbound frames and encrypts outbound bytes.
 *
 * <p>Contract, for whoever puts it in a pipeline (the connection upgrader):
 *
 * <ul>
 *   <li>Add it right after multistream-select agreed on {@code /noise}; bytes already read past
 *       that exchange are handed to it with {@code ctx.fireChannelRead}. The initiator sends the
 *       first handshake message as soon as the handler is added to an active channel.
 *   <li>On success it fires {@code userEventTriggered(}{@link SecureSessionEstablished}{@code )}
 *       before passing on any decrypted byte; decrypted data then flows inbound as {@link ByteBuf}s
 *       with no particular chunking.
 *   <li>Outbound {@link ByteBuf}s are encrypted at {@code flush()}: everything written since the
 *       last flush is packed into as few frames as possible (at most 65535 bytes each, so at most
 *       65519 bytes of plaintext), and each write's promise completes when the frames holding it
 *       are written. Writes issued before the handshake completes are queued and sent right after
 *       it. Anything other than a {@code ByteBuf} is refused (its promise fails).
 *   <li>On any failure (malformed or tampered input, bad signature, unexpected peer, bad frame
 *       length, connection closed mid-handshake) it fires {@code exceptionCaught(}{@link
 *       NoiseException}{@code )} with the reason, fails queued writes and closes the channel.
 * </ul>
 *
 * <p>Wire format: every message, handshake and transport, is a 2-byte big-endian length followed by
 * that many bytes. Lengths are checked before anything is allocated for a frame: handshake messages
 * may not exceed {@value #MAX_HANDSHAKE_MESSAGE} bytes (a legitimate one is a few hundred bytes
 * even with RSA keys), transport frames must hold at least the 16-byte tag.
 *
 * <p>Not thread-safe, as every Netty handler: all methods run on the channel's event loop. Not
 * sharable: one instance per connection.
 */
public final class NoiseSecureHandler extends ChannelDuplexHandler {

  /** Largest Noise message, fixed by the 2-byte length prefix. */
  public static final int MAX_FRAME = 65535;

  /** Largest plaintext in one transport frame. */
  public static final int MAX_PLAINTEXT = MAX_FRAME - NoiseCipherState.TAG_BYTES;

  /** Largest handshake message accepted from a peer. */
  public static final int MAX_HANDSHAKE_MESSAGE = 8192;

  /**
   * Scratch for copying a frame out of a direct buffer: the JDK cipher works fastest on arrays, and
   * one buffer per event-loop thread avoids holding 64 KiB per connection.
   */
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[MAX_FRAME];
        }
      };

  private final SecureHandshake handshake;
  private ByteBuf cumulation;
  private CoalescingBufferQueue pending;
  private NoiseCipherState sender;
  private NoiseCipherState receiver;
  private boolean started;
  private boolean failed;
  private boolean inactive;
  private NoiseException failure;

  /**
   * @param local this node's identity, which signs the Noise static key
   * @param initiator true on the dialling side
   * @param expectedRemoteOrNull the peer that must answer (a dial to a known peer id), or null to
   *     accept whoever authenticates (an inbound connection)
   */
  public NoiseSecureHandler(Identity local, boolean initiator, PeerId expectedRemoteOrNull) {
    this(local, initiator, expectedRemoteOrNull, List.of());
  }

  /**
   * As {@link #NoiseSecureHandler(Identity, boolean, PeerId)}, also offering {@code
   * localStreamMuxers} in the handshake payload extensions. Offer muxers only if the upgrader
   * implements early muxer negotiation: js-libp2p then skips the multistream-select muxer round.
   */
  public NoiseSecureHandler(
      Identity local,
      boolean initiator,
      PeerId expectedRemoteOrNull,
      List<String> localStreamMuxers) {
    this.handshake = new SecureHandshake(local, initiator, expectedRemoteOrNull, localStreamMuxers);
  }

  /** Whether the handshake has completed successfully. */
  public boolean isEstablished() {
    return receiver != null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pending = new CoalescingBufferQueue(ctx.channel(), 4);
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    try {
      byte[] first = handshake.start();
      if (first != null) {
        writeHandshakeMessage(ctx, first);
        ctx.flush();
      }
    } catch (NoiseException e) {
      fail(ctx, e);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    if (cumulation != null) {
      in = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    }
    cumulation = in;
    try {
      if (!isEstablished()) {
        readHandshake(ctx, in);
      }
      if (isEstablished() && !failed) {
        readTransport(ctx, in);
      }
    } catch (NoiseException e) {
      fail(ctx, e);
    } catch (RuntimeException e) {
      fail(ctx, new NoiseException(NoiseException.Reason.MALFORMED_HANDSHAKE, e.toString(), e));
    }
    if (cumulation != null) {
      if (cumulation.isReadable()) {
        cumulation.discardSomeReadBytes();
      } else {
        cumulation.release();
        cumulation = null;
      }
    }
  }

  private void readHandshake(ChannelHandlerContext ctx, ByteBuf in) throws NoiseException {
    while (!isEstablished() && in.readableBytes() >= 2) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (length > MAX_HANDSHAKE_MESSAGE) {
        throw new NoiseException(
            NoiseException.Reason.BAD_FRAME_LENGTH,
            "handshake message of " + length + " bytes exceeds " + MAX_HANDSHAKE_MESSAGE);
      }
      if (in.readableBytes() < 2 + length) {
        return;
      }
      in.skipBytes(2);
      byte[] message = new byte[length];
      in.readBytes(message);
      byte[] reply = handshake.onMessage(message);
      if (reply != null) {
        writeHandshakeMessage(ctx, reply);
      }
      if (handshake.isComplete()) {
        established(ctx); // flushes the last message together with queued writes
      } else if (reply != null) {
        ctx.flush();
      }
    }
  }

  private void established(ChannelHandlerContext ctx) {
    sender = handshake.sendCipher();
    receiver = handshake.receiveCipher();
    ctx.fireUserEventTriggered(
        new SecureSessionEstablished(handshake.remotePeer(), handshake.remoteStreamMuxers()));
    // Writes queued during the handshake go out now, with the last handshake message if any.
    encryptPending(ctx);
    ctx.flush();
  }

  /** Decrypts every complete frame in {@code in} into one buffer and passes it on. */
  private void readTransport(ChannelHandlerContext ctx, ByteBuf in) throws NoiseException {
    int index = in.readerIndex();
    int end = in.writerIndex();
    int frames = 0;
    int plaintext = 0;
    while (end - index >= 2) {
      int length = in.getUnsignedShort(index);
      if (length < NoiseCipherState.TAG_BYTES) {
        throw new NoiseException(
            NoiseException.Reason.BAD_FRAME_LENGTH,
            "frame of " + length + " bytes is shorter than its tag");
      }
      if (end - index - 2 < length) {
        break;
      }
      plaintext += length - NoiseCipherState.TAG_BYTES;
      index += 2 + length;
      frames++;
    }
    if (frames == 0) {
      return;
    }
    ByteBuf out = ctx.alloc().heapBuffer(Math.max(plaintext, 1));
    try {
      byte[] outArray = out.array();
      int outBase = out.arrayOffset();
      int written = 0;
      for (int i = 0; i < frames; i++) {
        int length = in.readUnsignedShort();
        byte[] src;
        int srcOffset;
        if (in.hasArray()) {
          src = in.array();
          srcOffset = in.arrayOffset() + in.readerIndex();
        } else {
          src = SCRATCH.get();
          srcOffset = 0;
          in.getBytes(in.readerIndex(), src, 0, length);
        }
        written += receiver.decrypt(src, srcOffset, length, outArray, outBase + written);
        in.skipBytes(length);
      }
      out.writerIndex(written);
    } catch (NoiseException | RuntimeException e) {
      out.release();
      throw e;
    }
    if (out.isReadable()) {
      ctx.fireChannelRead(out);
    } else {
      out.release(); // only empty frames: nothing to pass on
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(
          new IllegalArgumentException("Noise channel only writes ByteBuf, got " + msg.getClass()));
      return;
    }
    if (failed || inactive) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(failed ? failure : new ClosedChannelException());
      return;
    }
    pending.add((ByteBuf) msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (isEstablished() && !failed) {
      encryptPending(ctx);
    }
    ctx.flush();
  }

  /** Packs the queued plaintext into frames of at most {@link #MAX_PLAINTEXT} bytes. */
  private void encryptPending(ChannelHandlerContext ctx) {
    while (!pending.isEmpty()) {
      ChannelPromise framePromise = ctx.newPromise();
      ByteBuf plain = pending.remove(ctx.alloc(), MAX_PLAINTEXT, framePromise);
      ByteBuf frame;
      try {
        frame = encrypt(ctx, plain);
      } catch (NoiseException e) {
        framePromise.setFailure(e);
        fail(ctx, e);
        return;
      } finally {
        plain.release();
      }
      ctx.write(frame, framePromise);
    }
  }

  private ByteBuf encrypt(ChannelHandlerContext ctx, ByteBuf plain) throws NoiseException {
    int length = plain.readableBytes();
    ByteBuf frame = ctx.alloc().heapBuffer(2 + length + NoiseCipherState.TAG_BYTES);
    try {
      frame.writeShort(length + NoiseCipherState.TAG_BYTES);
      byte[] out = frame.array();
      int base = frame.arrayOffset();
      int pos = frame.writerIndex();
      sender.beginEncrypt();
      if (plain.hasArray()) {
        pos +=
            sender.encryptUpdate(
                plain.array(), plain.arrayOffset() + plain.readerIndex(), length, out, base + pos);
      } else {
        for (ByteBuffer part : plain.nioBuffers()) {
          pos += encryptPart(part, out, base + pos);
        }
      }
      pos += sender.finishEncrypt(out, base + pos);
      frame.writerIndex(pos);
      return frame;
    } catch (NoiseException | RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  private int encryptPart(ByteBuffer part, byte[] out, int outOffset) {
    if (part.hasArray()) {
      return sender.encryptUpdate(
          part.array(), part.arrayOffset() + part.position(), part.remaining(), out, outOffset);
    }
    byte[] scratch = SCRATCH.get();
    int written = 0;
    while (part.hasRemaining()) {
      int n = Math.min(part.remaining(), scratch.length);
      part.get(scratch, 0, n);
      written += sender.encryptUpdate(scratch, 0, n, out, outOffset + written);
    }
    return written;
  }

  private void writeHandshakeMessage(ChannelHandlerContext ctx, byte[] message) {
    ByteBuf buf = ctx.alloc().buffer(2 + message.length);
    buf.writeShort(message.length);
    buf.writeBytes(message);
    ctx.write(buf);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive = true;
    if (!isEstablished() && !failed) {
      fail(
          ctx,
          new NoiseException(
              NoiseException.Reason.HANDSHAKE_TRUNCATED,
              "connection closed during the Noise handshake"));
    }
    releaseAll(new ClosedChannelException());
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseAll(new IllegalStateException("Noise handler removed"));
  }

  private void fail(ChannelHandlerContext ctx, NoiseException cause) {
    if (failed) {
      return;
    }
    failed = true;
    failure = cause;
    releaseAll(cause);
    ctx.fireExceptionCaught(cause);
    ctx.close();
  }

  private void releaseAll(Throwable cause) {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    if (pending != null) {
      pending.releaseAndFailAll(cause);
    }
  }
}
