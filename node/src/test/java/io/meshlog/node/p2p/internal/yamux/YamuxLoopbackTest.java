package io.meshlog.node.p2p.internal.yamux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two sessions over real TCP on 127.0.0.1: what streams promise their users. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class YamuxLoopbackTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static EventLoopGroup group;

  /** Every buffer either side allocates is counted here; all must be released at the end. */
  private final UnpooledByteBufAllocator clientAlloc = new UnpooledByteBufAllocator(true, false);

  private final UnpooledByteBufAllocator serverAlloc = new UnpooledByteBufAllocator(true, false);
  private final LinkedBlockingQueue<YamuxStream> acceptedByServer = new LinkedBlockingQueue<>();
  private LoopbackPair pair;

  @BeforeAll
  static void startLoop() {
    group = new NioEventLoopGroup(2);
  }

  @AfterAll
  static void stopLoop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeAndCheckNoLeaks() throws Exception {
    if (pair != null) {
      pair.close();
      Await.until("all buffers released", () -> used(clientAlloc) == 0 && used(serverAlloc) == 0);
    }
  }

  private void connect(YamuxConfig client, YamuxConfig server, Consumer<YamuxStream> onInbound)
      throws Exception {
    pair = LoopbackPair.start(group, clientAlloc, serverAlloc, client, server, onInbound);
  }

  private void connect(Consumer<YamuxStream> onInbound) throws Exception {
    connect(YamuxConfig.defaults(), YamuxConfig.defaults(), onInbound);
  }

  @Test
  void shouldEchoOn500ConcurrentStreams() throws Exception {
    connect(Echo::attach);
    int streams = 500;
    List<CompletableFuture<YamuxStream>> opening = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opening.add(pair.clientSession.openStream());
    }
    List<byte[]> sent = new ArrayList<>();
    List<Recorder> received = new ArrayList<>();
    Random random = new Random(42);
    for (CompletableFuture<YamuxStream> f : opening) {
      YamuxStream stream = f.get(10, TimeUnit.SECONDS);
      byte[] payload = new byte[1000 + random.nextInt(20_000)];
      random.nextBytes(payload);
      Recorder recorder = new Recorder();
      stream.setListener(recorder);
      stream.write(clientAlloc.buffer().writeBytes(payload));
      stream.closeWrite();
      sent.add(payload);
      received.add(recorder);
    }

    for (int i = 0; i < streams; i++) {
      received.get(i).remoteClosed.get(20, TimeUnit.SECONDS);
      assertThat(received.get(i).bytes()).as("stream %d", i).isEqualTo(sent.get(i));
    }
    Await.until("streams closed on both sides", () -> openStreams() == 0);
    assertThat(pair.clientErrors).isEmpty();
    assertThat(pair.serverErrors).isEmpty();
  }

  @Test
  void shouldMove64MiBToASlowReaderWithinBoundedMemory() throws Exception {
    // No window growth: the receiver must hold at most its pause threshold plus one window.
    YamuxConfig fixedWindow = YamuxConfig.defaults().withMaxWindowSize(YamuxHeader.INITIAL_WINDOW);
    connect(fixedWindow, fixedWindow, acceptedByServer::add);
    long total = 64L << 20;
    YamuxStream out = pair.open();
    Writer writer = new Writer(out, total, 64 * 1024, 7);
    writer.start();

    YamuxStream in = acceptedByServer.poll(10, TimeUnit.SECONDS);
    SlowReader reader = new SlowReader(in, 1 << 20);
    long maxHeld = 0;
    CRC32 crc = new CRC32();
    long read = 0;
    while (true) {
      ByteBuf piece = reader.take();
      if (piece == null) {
        break;
      }
      int n = piece.readableBytes();
      read += n;
      crc.update(piece.nioBuffer());
      maxHeld = Math.max(maxHeld, used(serverAlloc));
      piece.release();
      reader.taken(n);
      // Slower than the network: the sender has to wait for credit.
      TimeUnit.MICROSECONDS.sleep(50);
    }
    writer.join(10_000);

    assertThat(writer.failure).isNull();
    assertThat(read).isEqualTo(total);
    assertThat(crc.getValue()).isEqualTo(writer.crc.getValue());
    assertThat(reader.pauses()).as("reader paused the stream").isPositive();
    assertThat(maxHeld).as("bytes held by the receiver").isLessThan(4L << 20);
  }

  @Test
  void shouldHalfCloseEachDirectionOnItsOwn() throws Exception {
    connect(acceptedByServer::add);
    YamuxStream client = pair.open();
    Recorder atClient = new Recorder();
    client.setListener(atClient);
    client.write(clientAlloc.buffer().writeBytes("request".getBytes(UTF_8)));
    client.closeWrite();

    YamuxStream server = acceptedByServer.poll(10, TimeUnit.SECONDS);
    Recorder atServer = new Recorder();
    server.setListener(atServer);
    atServer.remoteClosed.get(10, TimeUnit.SECONDS);
    assertThat(new String(atServer.bytes(), UTF_8)).isEqualTo("request");
    assertThat(client.write(clientAlloc.buffer().writeByte(1)))
        .as("writing after closeWrite")
        .failsWithin(Duration.ofSeconds(5));

    // The server still writes after the client closed its side.
    server
        .write(serverAlloc.buffer().writeBytes("response".getBytes(UTF_8)))
        .get(5, TimeUnit.SECONDS);
    assertThat(atClient.remoteClosed).isNotDone();
    server.closeWrite();

    atClient.remoteClosed.get(10, TimeUnit.SECONDS);
    assertThat(new String(atClient.bytes(), UTF_8)).isEqualTo("response");
    Await.until("stream gone from both sessions", () -> openStreams() == 0);
    assertThat(client.isOpen()).isFalse();
    assertThat(server.isOpen()).isFalse();
    assertThat(atClient.reset).isNotDone();
    assertThat(atServer.reset).isNotDone();
  }

  @Test
  void shouldTellTheOtherSideOfAReset() throws Exception {
    connect(acceptedByServer::add);
    YamuxStream client = pair.open();
    Recorder atClient = new Recorder();
    client.setListener(atClient);
    client.write(clientAlloc.buffer().writeBytes("x".getBytes(UTF_8)));
    YamuxStream server = acceptedByServer.poll(10, TimeUnit.SECONDS);
    Recorder atServer = new Recorder();
    server.setListener(atServer);

    server.reset();

    atClient.reset.get(10, TimeUnit.SECONDS);
    assertThat(client.isOpen()).isFalse();
    assertThat(client.write(clientAlloc.buffer().writeByte(1)))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(YamuxException.class);
    assertThat(atServer.reset).as("a local reset is not reported back").isNotDone();
    Await.until("stream gone from both sessions", () -> openStreams() == 0);
    // The connection carries on.
    YamuxStream next = pair.open();
    next.write(clientAlloc.buffer().writeByte(1)).get(5, TimeUnit.SECONDS);
    assertThat(pair.clientErrors).isEmpty();
    assertThat(pair.serverErrors).isEmpty();
  }

  @Test
  void shouldMeasurePingRoundTrip() throws Exception {
    connect(Echo::attach);

    Duration rtt = pair.clientSession.ping().get(5, TimeUnit.SECONDS);
    Duration back = pair.serverSession.ping().get(5, TimeUnit.SECONDS);

    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    assertThat(back).isPositive().isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void shouldKeepExistingStreamsButRefuseNewOnesAfterGoAway() throws Exception {
    connect(Echo::attach);
    YamuxStream before = pair.open();
    Recorder recorder = new Recorder();
    before.setListener(recorder);
    before.write(clientAlloc.buffer().writeBytes("still ".getBytes(UTF_8)));
    Await.until("the server has the stream", () -> recorder.size() == 6);

    pair.serverSession.goAway(0);

    Await.until("client refuses to open streams", this::clientOpenFails);
    before.write(clientAlloc.buffer().writeBytes("here".getBytes(UTF_8)));
    before.closeWrite();
    recorder.remoteClosed.get(10, TimeUnit.SECONDS);
    assertThat(new String(recorder.bytes(), UTF_8)).isEqualTo("still here");
    assertThat(pair.serverSession.openStream())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("going away");
  }

  @Test
  void shouldResetInboundStreamsBeyondMaxStreams() throws Exception {
    connect(YamuxConfig.defaults(), YamuxConfig.defaults().withMaxStreams(4), Echo::attach);
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      YamuxStream s = pair.open();
      Recorder r = new Recorder();
      s.setListener(r);
      s.write(clientAlloc.buffer().writeBytes(("n" + i).getBytes(UTF_8)));
      recorders.add(r);
    }

    for (int i = 0; i < 4; i++) {
      int n = i;
      Await.until("echo on stream " + n, () -> recorders.get(n).size() == 2);
    }
    recorders.get(4).reset.get(10, TimeUnit.SECONDS);
    recorders.get(5).reset.get(10, TimeUnit.SECONDS);
    assertThat(pair.serverSession.streamCount()).isEqualTo(4);
    assertThat(pair.client.isActive()).as("refusing a stream keeps the connection").isTrue();
  }

  @Test
  void shouldRefuseToOpenBeyondOwnMaxStreams() throws Exception {
    connect(YamuxConfig.defaults().withMaxStreams(2), YamuxConfig.defaults(), Echo::attach);
    pair.open();
    pair.open();

    assertThat(pair.clientSession.openStream())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("yamux.maxStreams");
  }

  @Test
  void shouldFailAndResetWhenPendingBytesExceedTheLimit() throws Exception {
    YamuxConfig small = YamuxConfig.defaults().withMaxPendingBytesPerStream(64 * 1024);
    connect(small, YamuxConfig.defaults(), acceptedByServer::add); // server never reads
    YamuxStream client = pair.open();
    Recorder atClient = new Recorder();
    client.setListener(atClient);

    CompletableFuture<Void> fits =
        client.write(clientAlloc.buffer().writeZero(YamuxHeader.INITIAL_WINDOW));
    CompletableFuture<Void> queued = client.write(clientAlloc.buffer().writeZero(60 * 1024));
    CompletableFuture<Void> tooMuch = client.write(clientAlloc.buffer().writeZero(8 * 1024));

    fits.get(5, TimeUnit.SECONDS);
    assertThat(tooMuch)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("yamux.maxPendingBytesPerStream");
    assertThat(queued).as("queued behind the reset").failsWithin(Duration.ofSeconds(5));
    atClient.reset.get(5, TimeUnit.SECONDS);
    YamuxStream server = acceptedByServer.poll(10, TimeUnit.SECONDS);
    Recorder atServer = new Recorder();
    server.setListener(atServer);
    atServer.reset.get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldDropTheConnectionOfAPeerSendingGarbageAndResetStreamsOnBothSides() throws Exception {
    connect(acceptedByServer::add);
    YamuxStream client = pair.open();
    Recorder atClient = new Recorder();
    client.setListener(atClient);
    client.write(clientAlloc.buffer().writeByte(1));
    YamuxStream server = acceptedByServer.poll(10, TimeUnit.SECONDS);
    Recorder atServer = new Recorder();
    server.setListener(atServer);

    // Bytes written below the yamux handler reach the wire unframed.
    ByteBuf garbage =
        clientAlloc.buffer().writeBytes(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    pair.client.pipeline().firstContext().writeAndFlush(garbage);

    atServer.reset.get(10, TimeUnit.SECONDS);
    atClient.reset.get(10, TimeUnit.SECONDS);
    Await.until("both channels closed", () -> !pair.client.isActive() && !pair.server.isActive());
    assertThat(pair.serverErrors)
        .singleElement()
        .isInstanceOfSatisfying(
            YamuxProtocolException.class,
            e -> assertThat(e.violation()).isEqualTo(YamuxProtocolException.Violation.BAD_VERSION));
  }

  @Test
  void shouldAcceptWritesFromManyThreadsInOrderPerThread() throws Exception {
    connect(Echo::attach);
    List<Thread> threads = new ArrayList<>();
    List<Recorder> recorders = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      YamuxStream s = pair.open();
      Recorder r = new Recorder();
      s.setListener(r);
      recorders.add(r);
      byte[] all = new byte[100 * 1000];
      new Random(t).nextBytes(all);
      expected.add(all);
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  s.write(clientAlloc.buffer().writeBytes(all, i * 1000, 1000));
                }
                s.closeWrite();
              }));
    }
    threads.forEach(Thread::start);

    for (int t = 0; t < 8; t++) {
      recorders.get(t).remoteClosed.get(20, TimeUnit.SECONDS);
      assertThat(recorders.get(t).bytes()).isEqualTo(expected.get(t));
    }
  }

  @Test
  void shouldNotQueueUnboundedPingAnswersForAPeerThatDoesNotRead() throws Exception {
    connect(Echo::attach);
    LoopbackPair target = pair;
    int rounds = 700; // 8.2 MiB of pings: more than the kernel's socket buffers can hide
    // Tracing every header read of 700k frames would make this test crawl.
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try (java.net.Socket raw = new java.net.Socket()) {
      // A second connection to the same server, played by a peer that pings and never reads.
      raw.setReceiveBufferSize(4096);
      raw.connect(target.serverAddress());
      byte[] pings = new byte[YamuxHeader.SIZE * 1024];
      for (int i = 0; i < 1024; i++) {
        pings[i * YamuxHeader.SIZE + 1] = YamuxHeader.TYPE_PING;
        pings[i * YamuxHeader.SIZE + 3] = YamuxHeader.FLAG_SYN;
      }
      java.io.OutputStream out = raw.getOutputStream();
      for (int round = 0; round < rounds; round++) {
        out.write(pings);
      }
      out.flush();
      Await.until(
          "server read every ping",
          () -> target.lastServerBytesRead() == (long) rounds * pings.length);

      assertThat(target.lastServerPendingWriteBytes()).isLessThan(1 << 20);
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
  }

  private boolean clientOpenFails() {
    try {
      pair.clientSession.openStream().get(5, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int openStreams() {
    return pair.clientSession.streamCount() + pair.serverSession.streamCount();
  }

  private static long used(UnpooledByteBufAllocator alloc) {
    return alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
  }

  /** Writes {@code total} pseudo-random bytes with at most a few writes outstanding. */
  private final class Writer extends Thread {
    final CRC32 crc = new CRC32();
    volatile Throwable failure;
    private final YamuxStream stream;
    private final long total;
    private final int chunk;
    private final Semaphore outstanding = new Semaphore(8);
    private final long seed;

    Writer(YamuxStream stream, long total, int chunk, long seed) {
      this.stream = stream;
      this.seed = seed;
      this.total = total;
      this.chunk = chunk;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        Random random = new Random(seed);
        byte[] bytes = new byte[chunk];
        for (long sent = 0; sent < total; sent += chunk) {
          random.nextBytes(bytes);
          crc.update(bytes);
          outstanding.acquire();
          stream
              .write(clientAlloc.buffer(chunk).writeBytes(bytes))
              .whenComplete(
                  (ok, e) -> {
                    if (e != null) {
                      failure = e;
                    }
                    outstanding.release();
                  });
        }
        stream.closeWrite();
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  /**
   * Hands arriving data to the test thread through a queue, pausing the stream while more than
   * {@code highWater} bytes wait, as a reader slower than the network would.
   */
  private static final class SlowReader implements YamuxStream.Listener {
    private static final ByteBuf END = io.netty.buffer.Unpooled.EMPTY_BUFFER;
    private final LinkedBlockingQueue<ByteBuf> queue = new LinkedBlockingQueue<>();
    private final AtomicLong waiting = new AtomicLong();
    private final YamuxStream stream;
    private final long highWater;
    private boolean paused;
    private int pauses;

    SlowReader(YamuxStream stream, long highWater) {
      this.stream = stream;
      this.highWater = highWater;
      stream.setListener(this);
    }

    @Override
    public synchronized void onData(YamuxStream s, ByteBuf data) {
      if (waiting.addAndGet(data.readableBytes()) > highWater && !paused) {
        paused = true;
        pauses++;
        s.pauseReading();
      }
      queue.add(data);
    }

    synchronized int pauses() {
      return pauses;
    }

    @Override
    public void onRemoteClose(YamuxStream s) {
      queue.add(END);
    }

    @Override
    public void onReset(YamuxStream s) {
      queue.add(END);
    }

    ByteBuf take() throws InterruptedException {
      ByteBuf b = queue.poll(20, TimeUnit.SECONDS);
      assertThat(b).as("data or end within 20 s").isNotNull();
      return b == END ? null : b;
    }

    /** The test thread consumed the last piece taken. */
    synchronized void taken(int n) {
      long left = waiting.addAndGet(-n);
      if (paused && left < highWater / 4) {
        paused = false;
        stream.resumeReading();
      }
    }
  }
}
