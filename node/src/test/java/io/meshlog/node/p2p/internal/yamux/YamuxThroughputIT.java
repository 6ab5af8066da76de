package io.meshlog.node.p2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throughput of yamux alone over plaintext loopback TCP, one stream and eight, reported on stdout
 * as {@code yamux-throughput ...} lines. Nothing here asserts on speed; every run checks that each
 * byte arrived, so a fast wrong run fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class YamuxThroughputIT {
  private static final int CHUNK = 64 * 1024;

  private static EventLoopGroup clientLoop;
  private static EventLoopGroup serverLoop;

  @BeforeAll
  static void start() {
    clientLoop = new NioEventLoopGroup(1);
    serverLoop = new NioEventLoopGroup(1);
  }

  @AfterAll
  static void stop() throws Exception {
    clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldMeasureThroughputWithTheDefaults() throws Exception {
    YamuxConfig config = YamuxConfig.defaults();
    run("defaults", config, 1, 64L << 20); // warm-up, not reported
    report("defaults", config, 1, 512L << 20);
    report("defaults", config, 8, 64L << 20);
  }

  @Test
  void shouldMeasureThroughputWithALargerInitialWindow() throws Exception {
    YamuxConfig config = YamuxConfig.defaults().withInitialWindowSize(4 << 20);
    run("window-4MiB", config, 1, 64L << 20);
    report("window-4MiB", config, 1, 512L << 20);
    report("window-4MiB", config, 8, 64L << 20);
  }

  private static void report(String name, YamuxConfig config, int streams, long perStream)
      throws Exception {
    double seconds = run(name, config, streams, perStream);
    double mb = streams * perStream / 1e6;
    System.out.printf(
        Locale.ROOT,
        "yamux-throughput %s streams=%d bytes=%d MiB seconds=%.3f MB/s=%.0f%n",
        name,
        streams,
        streams * perStream >> 20,
        seconds,
        mb / seconds);
  }

  /**
   * Sends {@code perStream} bytes on each of {@code streams} streams; returns the seconds taken.
   */
  private static double run(String name, YamuxConfig config, int streams, long perStream)
      throws Exception {
    LinkedBlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
    List<Counter> counters = new ArrayList<>();
    try (LoopbackPair pair = startPair(config, accepted)) {
      ByteBuf pattern = PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        pattern.writeByte(i % 251);
      }
      List<YamuxStream> outs = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        outs.add(pair.open());
      }
      for (int s = 0; s < streams; s++) {
        Counter c = new Counter();
        accepted.poll(10, TimeUnit.SECONDS).setListener(c);
        counters.add(c);
      }
      long start = System.nanoTime();
      List<Thread> writers = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (YamuxStream out : outs) {
        Thread t = new Thread(() -> write(out, pattern, perStream, failures), "writer-" + name);
        writers.add(t);
        t.start();
      }
      for (Counter c : counters) {
        c.closed.get(120, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Thread t : writers) {
        t.join(10_000);
      }
      pattern.release();
      assertThat(failures).isEmpty();
      for (Counter c : counters) {
        assertThat(c.bytes.get()).isEqualTo(perStream);
        assertThat(c.patternBroken).isFalse();
      }
      assertThat(pair.clientErrors).isEmpty();
      assertThat(pair.serverErrors).isEmpty();
      return seconds;
    }
  }

  private static LoopbackPair startPair(YamuxConfig config, LinkedBlockingQueue<YamuxStream> q)
      throws Exception {
    return LoopbackPair.start(
        clientLoop,
        serverLoop,
        PooledByteBufAllocator.DEFAULT,
        PooledByteBufAllocator.DEFAULT,
        config,
        config,
        q::add);
  }

  private static void write(
      YamuxStream out, ByteBuf pattern, long total, List<Throwable> failures) {
    Semaphore outstanding = new Semaphore(32);
    try {
      for (long sent = 0; sent < total; sent += CHUNK) {
        outstanding.acquire();
        CompletableFuture<Void> f = out.write(pattern.retainedDuplicate());
        f.whenComplete(
            (ok, e) -> {
              if (e != null) {
                failures.add(e);
              }
              outstanding.release();
            });
      }
      out.closeWrite();
    } catch (InterruptedException e) {
      failures.add(e);
    }
  }

  /** Counts bytes and spot-checks the first byte of every piece against the sent pattern. */
  private static final class Counter implements YamuxStream.Listener {
    final AtomicLong bytes = new AtomicLong();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    volatile boolean patternBroken;

    @Override
    public void onData(YamuxStream s, ByteBuf data) {
      long offset = bytes.get();
      int expected = (int) (offset % CHUNK) % 251;
      if (data.getUnsignedByte(data.readerIndex()) != expected) {
        patternBroken = true;
      }
      bytes.addAndGet(data.readableBytes());
      data.release();
    }

    @Override
    public void onRemoteClose(YamuxStream s) {
      closed.complete(null);
    }

    @Override
    public void onReset(YamuxStream s) {
      closed.completeExceptionally(new AssertionError("stream reset during the transfer"));
    }
  }
}
