package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.factory.Hosts;
import io.meshlog.node.p2p.internal.identify.IdentifyCodec;
import io.meshlog.node.p2p.internal.identify.IdentifyMessage;
import io.meshlog.node.p2p.internal.multistream.MultistreamHandler;
import io.meshlog.node.p2p.internal.multistream.MultistreamNegotiator;
import io.meshlog.node.p2p.internal.noise.NoiseSecureHandler;
import io.meshlog.node.p2p.internal.yamux.YamuxConfig;
import io.meshlog.node.p2p.internal.yamux.YamuxSession;
import io.meshlog.node.testing.Loopback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A peer that breaks the rules at each layer loses its connection; the host journals why, keeps
 * serving others, and leaks nothing. Raw sockets play the broken peers for multistream and Noise; a
 * Netty client that stops after the muxer negotiation plays the broken Yamux peer; a host with a
 * bad identify handler plays the lying peer.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  private final RecordingEventSink events = new RecordingEventSink();
  private final ListAppender<ILoggingEvent> leaks = new ListAppender<>();
  private ResourceLeakDetector.Level previousLevel;
  private long fdsBefore;
  private Host server;
  private InetSocketAddress address;

  @BeforeAll
  void start() throws Exception {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    Logger leakLogger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    leaks.start();
    leakLogger.addAppender(leaks);
    // Warm up once so class loading and JDK-internal descriptors are in the baseline.
    try (Host warm = Hosts.start(HostConfig.defaults(), Identity.generate(), EventSink0.INSTANCE)) {
      warm.listenAddresses();
    }
    fdsBefore = openFds();
    server =
        Hosts.start(
            HostConfig.builder().handshakeTimeout(Duration.ofSeconds(3)).build(),
            Identity.generate(),
            events);
    server.handle(EchoProtocol.ID, EchoProtocol.handler());
    address = server.listenAddresses().get(0).toSocketAddress();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    Await.until("the condition holds", Duration.ofSeconds(10), () -> ioThreads() == 0);
    Await.until("the condition holds", Duration.ofSeconds(10), () -> openFds() <= fdsBefore + 2);
    for (int i = 0; i < 5; i++) {
      System.gc();
      ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
      probe.release();
    }
    assertThat(leaks.list).as("ByteBuf leaks reported by Netty").isEmpty();
    ResourceLeakDetector.setLevel(previousLevel);
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static long ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("meshlog-io"))
        .count();
  }

  /** Sends {@code bytes}, then returns once the host has closed the socket. */
  private void sendAndExpectClose(byte[] bytes) throws Exception {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] sink = new byte[4096];
      try {
        while (in.read(sink) >= 0) {
          // drain whatever the host answered until it closes
        }
      } catch (java.net.SocketException reset) {
        // closed with RST: also a close
      }
    }
  }

  private long rejected(String layer) {
    return events.texts(EventType.INPUT_REJECTED).stream()
        .filter(t -> t.startsWith(layer + ": "))
        .count();
  }

  private static byte[] multistream(String... messages) {
    ByteBuf buf = Unpooled.buffer();
    for (String m : messages) {
      MultistreamNegotiator.writeMessage(buf, m);
    }
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private void assertStillServing() throws Exception {
    try (Host good = Hosts.start(HostConfig.defaults(), Identity.generate(), EventSink0.INSTANCE)) {
      good.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      assertThat(good.ping(server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void shouldRejectRandomBytesInMultistream() throws Exception {
    long before = rejected("multistream");
    byte[] junk = new byte[300];
    new Random(3).nextBytes(junk);
    junk[0] = 20; // a plausible length, so the garbage is read as a message
    sendAndExpectClose(junk);
    Await.until(
        "the condition holds", Duration.ofSeconds(5), () -> rejected("multistream") > before);
    assertStillServing();
  }

  @Test
  void shouldRejectAnOversizedMultistreamLengthBeforeReading() throws Exception {
    long before = rejected("multistream");
    sendAndExpectClose(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    Await.until(
        "the condition holds", Duration.ofSeconds(5), () -> rejected("multistream") > before);
    assertThat(events.texts(EventType.INPUT_REJECTED)).anyMatch(t -> t.contains("length"));
    assertStillServing();
  }

  @Test
  void shouldReportATruncatedHandshakeAsAFailedConnection() throws Exception {
    long before = events.ofType(EventType.CONNECTION_FAILED).size();
    byte[] header = multistream(MultistreamNegotiator.PROTOCOL_ID);
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.getOutputStream().write(header, 0, 5);
    }
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () -> events.ofType(EventType.CONNECTION_FAILED).size() > before);
    assertStillServing();
  }

  @Test
  void shouldTimeOutAStalledHandshake() throws Exception {
    long before = server.counter(TransportCounter.HANDSHAKE_TIMEOUTS);
    byte[] start = multistream(MultistreamNegotiator.PROTOCOL_ID, "/noise");
    sendAndExpectClose(start); // then silence: the Noise handshake never starts
    assertThat(server.counter(TransportCounter.HANDSHAKE_TIMEOUTS)).isGreaterThan(before);
    assertStillServing();
  }

  @Test
  void shouldRejectAGarbageNoiseMessageInNoise() throws Exception {
    long before = rejected("noise");
    byte[] start = multistream(MultistreamNegotiator.PROTOCOL_ID, "/noise");
    byte[] junk = new byte[200];
    new Random(5).nextBytes(junk);
    junk[0] = 0; // a 2-byte length of ~200: a Noise message that is not one
    junk[1] = (byte) 198;
    byte[] all = new byte[start.length + junk.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(junk, 0, all, start.length, junk.length);
    sendAndExpectClose(all);
    Await.until("the condition holds", Duration.ofSeconds(5), () -> rejected("noise") > before);
    assertStillServing();
  }

  @Test
  void shouldRejectGarbageYamuxFramesInYamux() throws Exception {
    ByteBuf bad = Unpooled.buffer(12);
    bad.writeByte(9).writeByte(0).writeShort(0).writeInt(1).writeInt(0x7fffffff);
    long before = rejected("yamux");
    runBrokenMuxer(bad);
    Await.until("the condition holds", Duration.ofSeconds(5), () -> rejected("yamux") > before);
    assertStillServing();
  }

  @Test
  void shouldRejectRandomBytesAfterTheMuxerNegotiationInYamux() throws Exception {
    byte[] junk = new byte[4096];
    new Random(11).nextBytes(junk);
    junk[0] = 0; // version 0, so the header is read and the rest is nonsense
    junk[1] = 7; // no such frame type
    long before = rejected("yamux");
    runBrokenMuxer(Unpooled.wrappedBuffer(junk));
    Await.until("the condition holds", Duration.ofSeconds(5), () -> rejected("yamux") > before);
    assertStillServing();
  }

  @Test
  void shouldEndTheConnectionCleanlyOnATruncatedYamuxFrameThenClose() throws Exception {
    long closedBefore = server.counter(TransportCounter.CONNECTIONS_CLOSED);
    ByteBuf half = Unpooled.buffer(6);
    half.writeByte(0).writeByte(0).writeShort(0).writeShort(0);
    runBrokenMuxer(half, true);
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () -> server.counter(TransportCounter.CONNECTIONS_CLOSED) > closedBefore);
    assertStillServing();
  }

  @Test
  void shouldCostOnlyTheStreamOnAGarbageStreamNegotiation() throws Exception {
    long before = rejected("multistream");
    ByteBuf junk = Unpooled.buffer();
    junk.writeBytes(multistream(MultistreamNegotiator.PROTOCOL_ID));
    junk.writeByte(0xff).writeByte(0xff).writeByte(0x7f); // a 2 MB protocol name
    runBrokenMuxer(junk, false, true);
    Await.until(
        "the condition holds", Duration.ofSeconds(5), () -> rejected("multistream") > before);
    assertThat(events.texts(EventType.INPUT_REJECTED))
        .anyMatch(t -> t.startsWith("multistream: stream: message length"));
    assertStillServing();
  }

  private void runBrokenMuxer(ByteBuf payload) throws Exception {
    runBrokenMuxer(payload, false);
  }

  private void runBrokenMuxer(ByteBuf payload, boolean closeAfter) throws Exception {
    runBrokenMuxer(payload, closeAfter, false);
  }

  /** With {@code onStream}, a real Yamux session carries {@code payload} on a new stream. */
  private void runBrokenMuxer(ByteBuf payload, boolean closeAfter, boolean onStream)
      throws Exception {
    long baseline = rejected("multistream");
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    try {
      Identity me = Identity.generate();
      Channel ch =
          Loopback.connect(
              group,
              address,
              c ->
                  c.pipeline()
                      .addLast(
                          "ms1",
                          new MultistreamHandler(
                              MultistreamNegotiator.dialer(List.of("/noise"), 1024),
                              new BrokenMuxerDialer(me, payload, closeAfter, onStream))));
      if (onStream) {
        // Only the stream is reset; the connection stays until we close it.
        Await.until(
            "the condition holds",
            Duration.ofSeconds(10),
            () -> rejected("multistream") > baseline);
        assertThat(ch.isActive()).as("connection survives a bad stream").isTrue();
        ch.close().sync();
      }
      ch.closeFuture().await(10, TimeUnit.SECONDS);
      assertThat(ch.isOpen()).as("connection closed").isFalse();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Upgrades honestly up to Yamux, then sends {@code payload} instead of Yamux frames. */
  private static final class BrokenMuxerDialer implements MultistreamHandler.Listener {
    private final Identity me;
    private final ByteBuf payload;
    private final boolean closeAfter;

    private final boolean onStream;

    BrokenMuxerDialer(Identity me, ByteBuf payload, boolean closeAfter, boolean onStream) {
      this.me = me;
      this.payload = payload;
      this.closeAfter = closeAfter;
      this.onStream = onStream;
    }

    @Override
    public void onSelected(ChannelHandlerContext ctx, String protocol) {
      if (protocol.equals("/noise")) {
        ctx.pipeline().addAfter(ctx.name(), "noise", new NoiseSecureHandler(me, true, null));
        ctx.pipeline()
            .addAfter(
                "noise",
                "ms2",
                new MultistreamHandler(
                    MultistreamNegotiator.dialer(List.of("/yamux/1.0.0"), 1024), this));
      } else if (onStream) {
        YamuxSession session = new YamuxSession(true, YamuxConfig.defaults(), s -> s.reset());
        ctx.pipeline().addAfter(ctx.name(), "yamux", session);
        session.openStream().thenAccept(s -> s.write(payload));
      } else if (closeAfter) {
        ctx.writeAndFlush(payload).addListener(f -> ctx.close());
      } else {
        ctx.writeAndFlush(payload);
      }
    }

    @Override
    public void onFailed(ChannelHandlerContext ctx, String reason) {}
  }

  @Test
  void shouldRejectAMalformedIdentifyAndLeaveTheConnectionUsable() throws Exception {
    long before = rejected("identify");
    try (Host liar = Hosts.start(HostConfig.defaults(), Identity.generate(), EventSink0.INSTANCE)) {
      liar.handle(
          Host.IDENTIFY,
          s -> {
            s.writeMessage(new byte[] {0x0a, 0x7f, 1, 2}); // field 1 claims 127 bytes, has 2
            s.closeWrite();
          });
      liar.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Await.until(
          "the condition holds", Duration.ofSeconds(5), () -> rejected("identify") > before);
      assertThat(liar.ping(server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }
    assertStillServing();
  }

  @Test
  void shouldRejectAnIdentifyWithSomeoneElsesKey() throws Exception {
    long before = rejected("identify");
    Identity other = Identity.generate();
    try (Host liar = Hosts.start(HostConfig.defaults(), Identity.generate(), EventSink0.INSTANCE)) {
      liar.handle(
          Host.IDENTIFY,
          s -> {
            s.writeMessage(
                IdentifyCodec.encode(
                    new IdentifyMessage(
                        "ipfs/0.1.0",
                        "liar/1",
                        other.publicKeyProtobuf(),
                        List.of(),
                        null,
                        List.of("/x"),
                        null)));
            s.closeWrite();
          });
      liar.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Await.until(
          "the condition holds", Duration.ofSeconds(5), () -> rejected("identify") > before);
      assertThat(events.texts(EventType.INPUT_REJECTED))
          .anyMatch(t -> t.contains("not the connection's peer"));
      assertThat(server.connection(liar.peerId()).orElseThrow().info().agentVersion()).isNull();
    }
  }

  @Test
  void shouldRejectAnOversizedIdentify() throws Exception {
    long before = server.counter(TransportCounter.REJECTED_STREAM);
    long rejectedBefore = rejected("stream");
    try (Host liar = Hosts.start(HostConfig.defaults(), Identity.generate(), EventSink0.INSTANCE)) {
      liar.handle(
          Host.IDENTIFY,
          s -> {
            s.writeMessage(new byte[200_000]);
            s.closeWrite();
          });
      liar.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      // The counter moves just before the event is journaled: wait for the event itself.
      Await.until(
          "the condition holds", Duration.ofSeconds(5), () -> rejected("stream") > rejectedBefore);
      assertThat(events.texts(EventType.INPUT_REJECTED))
          .anyMatch(t -> t.startsWith("stream: /ipfs/id/1.0.0"));
      assertThat(server.counter(TransportCounter.REJECTED_STREAM)).isGreaterThan(before);
    }
  }

  /** A sink for the helper hosts whose events the tests do not look at. */
  private enum EventSink0 implements io.meshlog.eventlog.EventSink {
    INSTANCE;

    @Override
    public void publish(io.meshlog.eventlog.Event event) {}
  }
}
