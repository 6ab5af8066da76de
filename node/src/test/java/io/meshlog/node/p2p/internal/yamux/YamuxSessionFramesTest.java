package io.meshlog.node.p2p.internal.yamux;

import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.data;
import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.frame;
import static io.meshlog.node.p2p.internal.yamux.EmbeddedSession.windowUpdate;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.FLAG_ACK;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.FLAG_FIN;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.FLAG_RST;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.FLAG_SYN;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_DATA;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_GO_AWAY;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_PING;
import static io.meshlog.node.p2p.internal.yamux.YamuxHeader.TYPE_WINDOW_UPDATE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.internal.yamux.EmbeddedSession.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The session against a peer played frame by frame: lazy opening, framing edge cases, ping. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class YamuxSessionFramesTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private final EmbeddedSession peer = new EmbeddedSession();

  @AfterEach
  void noLeaks() {
    peer.close();
    assertThat(peer.usedMemory()).as("bytes still held after close").isZero();
  }

  @Test
  void shouldAcceptStreamOpenedWithDataAndAckIt() throws Exception {
    peer.feed(data(FLAG_SYN, 1, "hello".getBytes(UTF_8)));

    YamuxStream stream = peer.inbound.poll(1, TimeUnit.SECONDS);
    assertThat(stream).isNotNull();
    assertThat(stream.id()).isEqualTo(1);
    assertThat(stream.isInitiator()).isFalse();
    Recorder recorder = new Recorder();
    stream.setListener(recorder);
    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("hello");
    List<Frame> out = peer.readFrames();
    assertThat(out).anySatisfy(f -> assertAck(f, 1));
  }

  @Test
  void shouldDeliverWhenHeadersAndPayloadArriveOneByteAtATime() {
    ByteBuf wire =
        Unpooled.wrappedBuffer(
            windowUpdate(FLAG_SYN, 3, 0),
            data(0, 3, "split ".getBytes(UTF_8)),
            data(FLAG_FIN, 3, "frames".getBytes(UTF_8)));
    Recorder recorder = new Recorder();
    while (wire.isReadable()) {
      peer.feed(wire.readRetainedSlice(1));
      YamuxStream s = peer.inbound.poll();
      if (s != null) {
        s.setListener(recorder);
      }
    }
    wire.release();

    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("split frames");
    assertThat(recorder.remoteClosed).isCompleted();
  }

  @Test
  void shouldTreatAckWithFirstDataAsAcceptanceOfOurStream() throws Exception {
    YamuxStream ours = peer.session.openStream().get(1, TimeUnit.SECONDS);
    assertThat(ours.id()).isEqualTo(2);
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_WINDOW_UPDATE);
              assertThat(f.has(FLAG_SYN)).isTrue();
              assertThat(f.id()).isEqualTo(2);
            });
    Recorder recorder = new Recorder();
    ours.setListener(recorder);

    peer.feed(data(FLAG_ACK, 2, "ack+data".getBytes(UTF_8)));
    peer.feed(windowUpdate(FLAG_FIN, 2, 0));

    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("ack+data");
    assertThat(recorder.remoteClosed).isCompleted();
    assertThat(peer.errors).isEmpty();
  }

  @Test
  void shouldBufferDataUntilListenerIsSetWithoutReturningCredit() {
    peer.feed(windowUpdate(FLAG_SYN, 1, 0));
    YamuxStream stream = peer.inbound.poll();
    peer.readFrames();
    peer.feed(data(0, 1, new byte[200_000]));

    assertThat(peer.readFrames()).as("no window update while nobody read").isEmpty();
    Recorder recorder = new Recorder();
    stream.setListener(recorder);

    assertThat(recorder.size()).isEqualTo(200_000);
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_WINDOW_UPDATE);
              assertThat(f.length()).isEqualTo(200_000);
            });
  }

  @Test
  void shouldEchoPingAndMeasureOwnPing() throws Exception {
    peer.feed(frame(TYPE_PING, FLAG_SYN, 0, 0xCAFEL, new byte[0]));
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_PING);
              assertThat(f.has(FLAG_ACK)).isTrue();
              assertThat(f.length()).isEqualTo(0xCAFEL);
            });

    CompletableFuture<Duration> rtt = peer.session.ping();
    Frame sent = peer.readFrames().get(0);
    assertThat(sent.type()).isEqualTo(TYPE_PING);
    assertThat(sent.has(FLAG_SYN)).isTrue();
    assertThat(rtt).isNotDone();
    peer.feed(frame(TYPE_PING, FLAG_ACK, 0, sent.length(), new byte[0]));
    assertThat(rtt.get(1, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void shouldDropFramesInFlightForAStreamItReset() {
    peer.feed(windowUpdate(FLAG_SYN, 1, 0));
    YamuxStream stream = peer.inbound.poll();
    stream.reset();
    assertThat(peer.readFrames()).anySatisfy(f -> assertThat(f.has(FLAG_RST)).isTrue());

    peer.feed(data(0, 1, new byte[1000]));
    peer.feed(windowUpdate(0, 1, 4096));

    assertThat(peer.channel.isActive()).isTrue();
    assertThat(peer.errors).isEmpty();
    assertThat(peer.session.streamCount()).isZero();
  }

  @Test
  void shouldResetStreamWhenPeerSendsDataAfterItsFin() {
    peer.feed(data(FLAG_SYN | FLAG_FIN, 1, "last".getBytes(UTF_8)));
    YamuxStream stream = peer.inbound.poll();
    Recorder recorder = new Recorder();
    stream.setListener(recorder);
    peer.readFrames();

    peer.feed(data(0, 1, "more".getBytes(UTF_8)));

    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("last");
    assertThat(peer.readFrames()).anySatisfy(f -> assertThat(f.has(FLAG_RST)).isTrue());
    assertThat(peer.channel.isActive()).isTrue();
  }

  @Test
  void shouldRefuseNewStreamsAfterPeerGoAway() throws Exception {
    peer.feed(frame(TYPE_GO_AWAY, 0, 0, 0, new byte[0]));

    assertThat(peer.session.openStream())
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(YamuxException.class)
        .withMessageContaining("GO_AWAY");
  }

  @Test
  void shouldSendGoAwayAndRejectInboundAfterLocalGoAway() {
    peer.session.goAway(0);
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.type()).isEqualTo(TYPE_GO_AWAY);
              assertThat(f.length()).isZero();
            });

    peer.feed(data(FLAG_SYN, 1, "late".getBytes(UTF_8)));

    assertThat(peer.inbound).isEmpty();
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo(1);
              assertThat(f.has(FLAG_RST)).isTrue();
            });
  }

  @Test
  void shouldSendGoAwayWhenTheChannelIsClosed() {
    peer.channel.close();
    List<Frame> out = peer.readFrames();
    assertThat(out).anySatisfy(f -> assertThat(f.type()).isEqualTo(TYPE_GO_AWAY));
  }

  @Test
  void shouldSplitLargeWritesIntoFramesWithinPeerWindow() throws Exception {
    YamuxStream ours = peer.session.openStream().get(1, TimeUnit.SECONDS);
    peer.readFrames();
    CompletableFuture<Void> written = ours.write(Unpooled.wrappedBuffer(new byte[300_000]));

    List<Frame> first = peer.readFrames();
    assertThat(first).allSatisfy(f -> assertThat(f.type()).isEqualTo(TYPE_DATA));
    assertThat(first)
        .allSatisfy(
            f -> assertThat(f.length()).isLessThanOrEqualTo(YamuxConfig.NOISE_ALIGNED_FRAME));
    assertThat(first.stream().mapToLong(Frame::length).sum()).isEqualTo(YamuxHeader.INITIAL_WINDOW);
    assertThat(written).isNotDone();

    peer.feed(windowUpdate(FLAG_ACK, 2, 100_000));

    assertThat(peer.readFrames().stream().mapToLong(Frame::length).sum())
        .isEqualTo(300_000 - YamuxHeader.INITIAL_WINDOW);
    assertThat(written).isCompleted();
  }

  @Test
  void shouldKeepAClosedStreamUntilItsDataIsTakenAndReleaseItWithTheConnection() {
    peer.feed(data(FLAG_SYN | FLAG_FIN, 1, "unread".getBytes(UTF_8)));
    YamuxStream stream = peer.inbound.poll();
    stream.closeWrite();

    assertThat(peer.session.streamCount()).as("data not yet taken").isEqualTo(1);
    peer.channel.close();

    assertThat(peer.session.streamCount()).isZero();
    // @AfterEach asserts the unread payload was released.
  }

  @Test
  void shouldLeaveTheTableOnceBothSidesClosedAndDataWasTaken() {
    peer.feed(data(FLAG_SYN | FLAG_FIN, 1, "read".getBytes(UTF_8)));
    YamuxStream stream = peer.inbound.poll();
    stream.closeWrite();
    Recorder recorder = new Recorder();

    stream.setListener(recorder);

    assertThat(recorder.remoteClosed).isCompleted();
    assertThat(stream.isOpen()).isFalse();
    assertThat(peer.session.streamCount()).isZero();
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose: the memory check follows the close
  void shouldAcceptADataFrameAsLargeAsTheWholeGrantedWindow() {
    // js-libp2p's yamux sends as much as the window allows in one frame.
    YamuxConfig bigWindow =
        YamuxConfig.defaults().withInitialWindowSize(2 << 20).withMaxWindowSize(2 << 20);
    try (EmbeddedSession big = new EmbeddedSession(bigWindow)) {
      big.feed(windowUpdate(FLAG_SYN, 1, 0));
      Recorder recorder = new Recorder();
      big.inbound.poll().setListener(recorder);

      big.feed(data(0, 1, new byte[2 << 20]));

      assertThat(recorder.size()).isEqualTo(2 << 20);
      assertThat(big.errors).isEmpty();
      big.close();
      assertThat(big.usedMemory()).isZero();
    }
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose: the memory check follows the close
  void shouldRefuseStreamsBeyondTheLimitAndDropTheirData() {
    try (EmbeddedSession limited = new EmbeddedSession(YamuxConfig.defaults().withMaxStreams(1))) {
      limited.feed(data(FLAG_SYN, 1, "first".getBytes(UTF_8)));
      limited.feed(data(FLAG_SYN, 3, "second".getBytes(UTF_8)));

      assertThat(limited.inbound).hasSize(1);
      assertThat(limited.readFrames())
          .anySatisfy(
              f -> {
                assertThat(f.id()).isEqualTo(3);
                assertThat(f.has(FLAG_RST)).isTrue();
              });
      assertThat(limited.channel.isActive()).isTrue();
      limited.close();
      assertThat(limited.usedMemory()).isZero();
    }
  }

  @Test
  void shouldResetOnlyTheStreamWhoseListenerThrows() {
    peer.feed(windowUpdate(FLAG_SYN, 1, 0));
    peer.feed(windowUpdate(FLAG_SYN, 3, 0));
    YamuxStream failing = peer.inbound.poll();
    YamuxStream healthy = peer.inbound.poll();
    Recorder recorder = new Recorder();
    healthy.setListener(recorder);
    failing.setListener(
        new YamuxStream.Listener() {
          @Override
          public void onData(YamuxStream stream, ByteBuf data) {
            data.release();
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRemoteClose(YamuxStream stream) {}

          @Override
          public void onReset(YamuxStream stream) {}
        });
    peer.readFrames();

    peer.feed(data(0, 1, "boom".getBytes(UTF_8)));
    peer.feed(data(0, 3, "fine".getBytes(UTF_8)));

    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo(1);
              assertThat(f.has(FLAG_RST)).isTrue();
            });
    assertThat(failing.isOpen()).isFalse();
    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("fine");
    assertThat(peer.channel.isActive()).isTrue();
  }

  @Test
  @SuppressWarnings("try") // closed early on purpose: the memory check follows the close
  void shouldResetAStreamWhoseInboundHandlerThrows() {
    Frame rst = null;
    try (EmbeddedSession s =
        EmbeddedSession.withInboundHandler(
            stream -> {
              throw new IllegalStateException("handler bug");
            })) {
      s.feed(data(FLAG_SYN, 1, "x".getBytes(UTF_8)));
      for (Frame f : s.readFrames()) {
        if (f.id() == 1 && f.has(FLAG_RST)) {
          rst = f;
        }
      }
      assertThat(s.channel.isActive()).isTrue();
      assertThat(s.session.streamCount()).isZero();
      s.close();
      assertThat(s.usedMemory()).isZero();
    }
    assertThat(rst).isNotNull();
  }

  @Test
  void shouldHoldOpensBeyondTheAckBacklogUntilThePeerAnswers() throws Exception {
    List<YamuxStream> opened = new java.util.ArrayList<>();
    for (int i = 0; i < YamuxSession.MAX_ACK_BACKLOG; i++) {
      opened.add(peer.session.openStream().get(1, TimeUnit.SECONDS));
    }
    peer.readFrames();

    CompletableFuture<YamuxStream> waiting = peer.session.openStream();

    assertThat(waiting).isNotDone();
    assertThat(peer.readFrames()).as("no SYN while the backlog is full").isEmpty();
    peer.feed(windowUpdate(FLAG_ACK, opened.get(0).id(), 0));
    assertThat(waiting).isCompleted();
    assertThat(peer.readFrames())
        .anySatisfy(
            f -> {
              assertThat(f.has(FLAG_SYN)).isTrue();
              assertThat(f.id()).isEqualTo(waiting.get().id());
            });
  }

  private static void assertAck(Frame f, int id) {
    assertThat(f.type()).isEqualTo(TYPE_WINDOW_UPDATE);
    assertThat(f.id()).isEqualTo(id);
    assertThat(f.has(FLAG_ACK)).isTrue();
  }
}
