package io.meshlog.node.p2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.testing.Loopback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throughput of the Noise channel alone over loopback TCP, reported on stdout as {@code
 * noise-throughput ...} lines. Nothing asserts on speed; every run checks the received byte count
 * and a CRC32C of the content, so a fast wrong run fails. Also reports handshakes per second.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NoiseThroughputIT {

  private static EventLoopGroup clientLoop;
  private static EventLoopGroup serverLoop;
  private final Identity serverIdentity = Identity.generate();
  private final Identity clientIdentity = Identity.generate();

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
  void shouldMeasureBulkTransfer() throws Exception {
    run(64 * 1024, 1, 64L << 20); // warm-up, not reported
    report(64 * 1024, 1, 256L << 20);
    report(1024, 1, 32L << 20);
    report(1024, 64, 128L << 20);
  }

  @Test
  void shouldMeasureHandshakes() throws Exception {
    Receiver receiver = new Receiver(0);
    InetSocketAddress address = listen(receiver);
    connections(address, 50); // warm-up
    int n = 200;
    long start = System.nanoTime();
    connections(address, n);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "noise-handshakes connections=%d seconds=%.3f per-second=%.0f%n",
        n,
        seconds,
        n / seconds);
  }

  private void connections(InetSocketAddress address, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      Receiver sender = new Receiver(0);
      Channel channel = connect(address, sender);
      assertThat(sender.established.get(10, TimeUnit.SECONDS).remotePeer())
          .isEqualTo(serverIdentity.peerId());
      channel.close().sync();
    }
  }

  private void report(int chunk, int flushEvery, long total) throws Exception {
    double seconds = run(chunk, flushEvery, total);
    System.out.printf(
        Locale.ROOT,
        "noise-throughput write=%dB flush-every=%d bytes=%dMiB seconds=%.3f MB/s=%.0f%n",
        chunk,
        flushEvery,
        total >> 20,
        seconds,
        total / 1e6 / seconds);
  }

  /**
   * Sends {@code total} bytes in writes of {@code chunk} bytes, flushing every {@code flushEvery}
   * writes, from the client's event loop as a protocol handler would; returns the seconds taken.
   */
  private double run(int chunk, int flushEvery, long total) throws Exception {
    byte[] pattern = new byte[chunk];
    new Random(chunk).nextBytes(pattern);
    CRC32C expected = new CRC32C();
    for (long sent = 0; sent < total; sent += chunk) {
      expected.update(pattern);
    }
    Receiver receiver = new Receiver(total);
    ByteBuf source = PooledByteBufAllocator.DEFAULT.directBuffer(chunk);
    source.writeBytes(pattern);
    Sender sender = new Sender(source, flushEvery, total);
    Channel channel = connect(listen(receiver), sender);
    long start = System.nanoTime();
    long crc = receiver.done.get(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    channel.close().sync();
    source.release();
    assertThat(sender.established.get(1, TimeUnit.SECONDS).remotePeer())
        .isEqualTo(serverIdentity.peerId());
    assertThat(crc).isEqualTo(expected.getValue());
    return seconds;
  }

  private InetSocketAddress listen(Receiver receiver) {
    Channel server =
        Loopback.listen(
            serverLoop,
            ch ->
                ch.pipeline()
                    .addLast(new NoiseSecureHandler(serverIdentity, false, null), receiver));
    return (InetSocketAddress) server.localAddress();
  }

  private Channel connect(InetSocketAddress address, ChannelHandler events) {
    return Loopback.connect(
        clientLoop,
        address,
        ch ->
            ch.pipeline()
                .addLast(
                    new NoiseSecureHandler(clientIdentity, true, serverIdentity.peerId()), events));
  }

  /** Counts and checksums what arrives; completes {@link #done} with the CRC at {@code total}. */
  @ChannelHandler.Sharable
  static final class Receiver extends ChannelInboundHandlerAdapter {
    final CompletableFuture<SecureSessionEstablished> established = new CompletableFuture<>();
    final CompletableFuture<Long> done = new CompletableFuture<>();
    private final long total;
    private final CRC32C crc = new CRC32C();
    private long received;

    Receiver(long total) {
      this.total = total;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SecureSessionEstablished) {
        established.complete((SecureSessionEstablished) evt);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      received += buf.readableBytes();
      crc.update(buf.nioBuffer());
      buf.release();
      if (received >= total) {
        done.complete(crc.getValue());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      established.completeExceptionally(cause);
      done.completeExceptionally(cause);
    }
  }

  /** Writes {@code total} bytes once the session is up, as fast as the channel accepts them. */
  static final class Sender extends ChannelInboundHandlerAdapter {
    final CompletableFuture<SecureSessionEstablished> established = new CompletableFuture<>();
    private final ByteBuf source;
    private final int flushEvery;
    private final long total;
    private long sent;

    Sender(ByteBuf source, int flushEvery, long total) {
      this.source = source;
      this.flushEvery = flushEvery;
      this.total = total;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SecureSessionEstablished) {
        established.complete((SecureSessionEstablished) evt);
        pump(ctx);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
      int writes = 0;
      while (sent < total && ctx.channel().isWritable()) {
        ctx.write(source.retainedDuplicate(), ctx.voidPromise());
        sent += source.readableBytes();
        if (++writes % flushEvery == 0) {
          ctx.flush();
        }
      }
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      established.completeExceptionally(cause);
    }
  }
}
