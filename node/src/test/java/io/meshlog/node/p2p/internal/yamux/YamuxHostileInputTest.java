package io.meshlog.node.p2p.internal.yamux;

import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.data;
import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.frame;
import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.windowUpdate;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.FLAG_SYN;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_DATA;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_GO_AWAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.internal.yamux.YamuxProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer that breaks the protocol loses the connection, with a reason, and costs nothing more: no
 * allocation driven by its lengths, no leaked buffer, every stream of the connection reset.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class YamuxHostileInputTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void shouldCloseTheConnectionWithAReasonOnRandomBytes(long seed) {
    byte[] garbage = new byte[4096];
    new Random(seed).nextBytes(garbage);
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(Unpooled.wrappedBuffer(garbage));

      assertRejected(peer, null);
    }
  }

  @Test
  void shouldRejectAnOversizedLengthFromTheHeaderAlone() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(frame(TYPE_DATA, FLAG_SYN, 1, 0xFFFFFFF0L, new byte[0]));

      assertRejected(peer, Violation.FRAME_TOO_LARGE);
      assertThat(peer.alloc.metric().usedHeapMemory()).isLessThan(1024);
    }
  }

  @Test
  void shouldRejectABadVersion() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      ByteBuf f = windowUpdate(FLAG_SYN, 1, 0);
      f.setByte(0, 1);
      peer.feed(f);

      assertRejected(peer, Violation.BAD_VERSION);
    }
  }

  @Test
  void shouldRejectAnUnknownType() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(frame(4, 0, 1, 0, new byte[0]));

      assertRejected(peer, Violation.UNKNOWN_TYPE);
    }
  }

  @Test
  void shouldRejectDataBeyondTheWindowAndResetOpenStreams() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(windowUpdate(FLAG_SYN, 1, 0));
      YamuxStream stream = peer.inbound.poll();
      Recorder recorder = new Recorder();
      stream.setListener(recorder);
      stream.pauseReading(); // nothing read, so no credit goes back
      for (int i = 0; i < 4; i++) {
        peer.feed(data(0, 1, new byte[YamuxHeader.INITIAL_WINDOW / 4]));
      }
      assertThat(peer.channel.isActive()).isTrue();

      peer.feed(data(0, 1, new byte[1]));

      assertRejected(peer, Violation.WINDOW_EXCEEDED);
      assertThat(recorder.reset).isCompleted();
    }
  }

  @Test
  void shouldRejectAFrameForANeverOpenedStream() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(data(0, 7, new byte[10]));

      assertRejected(peer, Violation.UNKNOWN_STREAM);
    }
  }

  @Test
  void shouldRejectASynWithOurParity() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(windowUpdate(FLAG_SYN, 2, 0));

      assertRejected(peer, Violation.BAD_STREAM_ID);
    }
  }

  @Test
  void shouldRejectASynReusingAnId() {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      peer.feed(windowUpdate(FLAG_SYN, 5, 0));
      peer.feed(windowUpdate(FLAG_SYN, 3, 0));

      assertRejected(peer, Violation.BAD_STREAM_ID);
    }
  }

  @Test
  void shouldRejectAWindowOverflow() throws Exception {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      YamuxStream ours = peer.session.openStream().get(1, TimeUnit.SECONDS);
      peer.feed(windowUpdate(0, ours.id(), 0xFFFFFFFFL));

      assertRejected(peer, Violation.WINDOW_OVERFLOW);
    }
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose: the memory check follows the close
  void shouldFailPendingWritesAndPingsAndResetStreamsOnConnectionLoss() throws Exception {
    try (EmbeddedSession peer = new EmbeddedSession()) {
      YamuxStream ours = peer.session.openStream().get(1, TimeUnit.SECONDS);
      Recorder recorder = new Recorder();
      ours.setListener(recorder);
      CompletableFuture<Void> blocked =
          ours.write(Unpooled.wrappedBuffer(new byte[YamuxHeader.INITIAL_WINDOW + 10]));
      CompletableFuture<?> ping = peer.session.ping();
      assertThat(blocked).isNotDone();

      peer.channel.close();

      assertThat(recorder.reset).isCompleted();
      assertThat(blocked).isCompletedExceptionally();
      assertThat(ping).isCompletedExceptionally();
      assertThat(peer.session.openStream()).isCompletedExceptionally();
      assertThat(ours.write(Unpooled.wrappedBuffer(new byte[1]))).isCompletedExceptionally();
      peer.close();
      assertThat(peer.usedMemory()).isZero();
    }
  }

  /** Closed, with a GO_AWAY protocol error sent and the reason fired down the pipeline. */
  private static void assertRejected(EmbeddedSession peer, Violation expected) {
    assertThat(peer.channel.isActive()).as("connection closed").isFalse();
    assertThat(peer.errors).hasSize(1);
    assertThat(peer.errors.get(0)).isInstanceOf(YamuxProtocolException.class);
    if (expected != null) {
      assertThat(((YamuxProtocolException) peer.errors.get(0)).violation()).isEqualTo(expected);
    }
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_GO_AWAY);
              assertThat(f.length()).isEqualTo(YamuxHeader.GO_AWAY_PROTOCOL_ERROR);
            });
    peer.close();
    assertThat(peer.usedMemory()).as("bytes still held").isZero();
  }
}
