package io.meshlog.node.p2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handler on in-memory channels: frame sizes, coalescing, queueing, exact failure reasons. */
@Timeout(30)
class NoiseSecureHandlerTest {

  private final Identity alice = Identity.generate();
  private final Identity bob = Identity.generate();
  private final Recorder aliceSees = new Recorder();
  private final Recorder bobSees = new Recorder();
  private final EmbeddedChannel initiator =
      new EmbeddedChannel(new NoiseSecureHandler(alice, true, bob.peerId()), aliceSees);
  private final EmbeddedChannel responder =
      new EmbeddedChannel(new NoiseSecureHandler(bob, false, null), bobSees);
  private final List<Integer> framesToBob = new ArrayList<>();
  private final List<EmbeddedChannel> channels = new ArrayList<>(List.of(initiator, responder));

  /**
   * Releases what a test left in the channels' queues (a handshake message no one read, say): Netty
   * reports a leaked buffer when it is collected, in whichever later test that happens to be.
   */
  @AfterEach
  void releaseQueues() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void shouldAuthenticateBothSidesWithExpectedHandshakeSizes() {
    List<Integer> toAlice = new ArrayList<>();
    pump(framesToBob, toAlice);

    assertThat(aliceSees.established)
        .extracting(SecureSessionEstablished::remotePeer)
        .containsExactly(bob.peerId());
    assertThat(bobSees.established)
        .extracting(SecureSessionEstablished::remotePeer)
        .containsExactly(alice.peerId());
    // e | e, enc(s), enc(payload) | enc(s), enc(payload); payload = key 36 + sig 64 + 4 tag/len
    assertThat(framesToBob).containsExactly(2 + 32, 2 + 48 + 104 + 16);
    assertThat(toAlice).containsExactly(2 + 32 + 48 + 104 + 16);
  }

  @Test
  void shouldQueueWritesMadeBeforeTheHandshakeAndCoalesceSmallWrites() {
    ChannelFuture first = initiator.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    for (int i = 0; i < 99; i++) {
      initiator.write(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
    }
    initiator.flush();
    assertThat(first.isDone()).isFalse(); // still waiting for the handshake

    pump(framesToBob, new ArrayList<>());

    assertThat(first.isSuccess()).isTrue();
    assertThat(bobSees.bytes.size()).isEqualTo(102);
    // handshake messages 1 and 3, then all 100 writes in one transport frame
    assertThat(framesToBob).hasSize(3);
    assertThat(framesToBob.get(2)).isEqualTo(2 + 102 + 16);
  }

  @Test
  void shouldSplitLargeWritesIntoMaximalFramesAndDecryptThemAll() {
    pump(new ArrayList<>(), new ArrayList<>());
    byte[] big = new byte[3 * NoiseSecureHandler.MAX_PLAINTEXT + 1000];
    new Random(1).nextBytes(big);
    ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(big.length);
    direct.writeBytes(big);

    initiator.writeAndFlush(direct);
    pump(framesToBob, new ArrayList<>());

    assertThat(framesToBob)
        .containsExactly(
            2 + NoiseSecureHandler.MAX_FRAME,
            2 + NoiseSecureHandler.MAX_FRAME,
            2 + NoiseSecureHandler.MAX_FRAME,
            2 + 1000 + 16);
    assertThat(bobSees.bytes.toByteArray()).isEqualTo(big);
  }

  @Test
  void shouldCloseWithReasonOnTamperedFrame() {
    pump(new ArrayList<>(), new ArrayList<>());
    initiator.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
    ByteBuf frame = initiator.readOutbound();
    frame.setByte(frame.writerIndex() - 1, frame.getByte(frame.writerIndex() - 1) ^ 1);

    responder.writeInbound(frame);

    assertThat(bobSees.errors)
        .singleElement()
        .extracting(e -> ((NoiseException) e).reason())
        .isEqualTo(NoiseException.Reason.DECRYPT_FAILED);
    assertThat(responder.isOpen()).isFalse();
    assertThat(bobSees.bytes.size()).isZero();
  }

  @Test
  void shouldRejectFrameShorterThanTag() {
    pump(new ArrayList<>(), new ArrayList<>());
    responder.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 15}));

    assertThat(bobSees.errors)
        .singleElement()
        .extracting(e -> ((NoiseException) e).reason())
        .isEqualTo(NoiseException.Reason.BAD_FRAME_LENGTH);
    assertThat(responder.isOpen()).isFalse();
  }

  @Test
  void shouldFailQueuedWritesWithTheHandshakeFailure() {
    Recorder carolSees = new Recorder();
    EmbeddedChannel carol =
        new EmbeddedChannel(
            new NoiseSecureHandler(
                Identity.generate(), true, Identity.generate().peerId()), // expects someone else
            carolSees);
    channels.add(carol);
    ByteBuf queued = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    ChannelFuture write = carol.writeAndFlush(queued);

    responder.writeInbound((ByteBuf) carol.readOutbound());
    carol.writeInbound((ByteBuf) responder.readOutbound());

    assertThat(write.cause())
        .isInstanceOf(NoiseException.class)
        .hasMessageContaining("PEER_ID_MISMATCH");
    assertThat(queued.refCnt()).isZero();
    assertThat(carol.isOpen()).isFalse();
    assertThat(carolSees.established).isEmpty();
  }

  @Test
  void shouldFailWritesAfterClose() {
    pump(new ArrayList<>(), new ArrayList<>());
    initiator.close();
    ByteBuf late = Unpooled.wrappedBuffer(new byte[] {1});

    ChannelFuture write = initiator.writeAndFlush(late);

    assertThat(write.isSuccess()).isFalse();
    assertThat(late.refCnt()).isZero();
  }

  /** Moves bytes between the two channels until both are quiet; records outbound frame sizes. */
  private void pump(List<Integer> toBob, List<Integer> toAlice) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (ByteBuf b; (b = initiator.readOutbound()) != null; moved = true) {
        toBob.add(b.readableBytes());
        responder.writeInbound(b);
      }
      for (ByteBuf b; (b = responder.readOutbound()) != null; moved = true) {
        toAlice.add(b.readableBytes());
        initiator.writeInbound(b);
      }
    }
  }

  static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<SecureSessionEstablished> established = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SecureSessionEstablished) {
        established.add((SecureSessionEstablished) evt);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      byte[] copy = new byte[buf.readableBytes()];
      buf.readBytes(copy);
      bytes.write(copy, 0, copy.length);
      buf.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }
  }
}
