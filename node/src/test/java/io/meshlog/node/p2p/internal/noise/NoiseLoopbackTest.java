package io.meshlog.node.p2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.testing.Loopback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java to Java Noise over real loopback TCP sockets. */
@Timeout(60)
class NoiseLoopbackTest {

  private static final long WAIT_SECONDS = 20;

  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final Identity serverIdentity = Identity.generate();
  private final Identity clientIdentity = Identity.generate();
  private final Endpoint server = new Endpoint();
  private final Endpoint client = new Endpoint();

  @AfterEach
  void shutdown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void shouldExchangeLargePayloadsBothWays() throws Exception {
    Channel clientChannel =
        connect(
            listen(() -> new NoiseSecureHandler(serverIdentity, false, null)),
            () -> new NoiseSecureHandler(clientIdentity, true, serverIdentity.peerId()));

    assertThat(client.established.get(WAIT_SECONDS, TimeUnit.SECONDS).remotePeer())
        .isEqualTo(serverIdentity.peerId());
    assertThat(server.established.get(WAIT_SECONDS, TimeUnit.SECONDS).remotePeer())
        .isEqualTo(clientIdentity.peerId());

    byte[] up = random(8 * 1024 * 1024 + 7, 1);
    byte[] down = random(3 * 1024 * 1024 + 11, 2);
    sendInPieces(clientChannel, up);
    sendInPieces(server.channel.get(WAIT_SECONDS, TimeUnit.SECONDS), down);

    assertThat(sha256(server.awaitBytes(up.length))).isEqualTo(sha256(up));
    assertThat(sha256(client.awaitBytes(down.length))).isEqualTo(sha256(down));
    assertThat(client.error).isNotDone();
    assertThat(server.error).isNotDone();
  }

  @Test
  void shouldCloseWithReasonWhenAFrameIsTamperedWith() throws Exception {
    connect(
        listen(() -> new NoiseSecureHandler(serverIdentity, false, null)),
        () -> new NoiseSecureHandler(clientIdentity, true, null),
        new FlipByteOfWrite(3)); // writes 1 and 2 are handshake messages, 3 is the first data
    client.established.get(WAIT_SECONDS, TimeUnit.SECONDS);

    client.channel.get().writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));

    assertThat(reasonOf(server)).isEqualTo(NoiseException.Reason.DECRYPT_FAILED);
    server.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(server.received.size()).isZero();
  }

  @Test
  void shouldRefuseOversizedHandshakeLengthPrefix() throws Exception {
    Channel raw = connect(listen(() -> new NoiseSecureHandler(serverIdentity, false, null)), null);
    ByteBuf hostile = Unpooled.buffer();
    hostile.writeShort(0xFFFF);
    hostile.writeZero(1000);
    raw.writeAndFlush(hostile);

    assertThat(reasonOf(server)).isEqualTo(NoiseException.Reason.BAD_FRAME_LENGTH);
    assertThat(server.error.get().getMessage()).contains("65535");
    client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void shouldReportTruncatedHandshake() throws Exception {
    Channel raw = connect(listen(() -> new NoiseSecureHandler(serverIdentity, false, null)), null);
    raw.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3})).sync();
    raw.close().sync();

    assertThat(reasonOf(server)).isEqualTo(NoiseException.Reason.HANDSHAKE_TRUNCATED);
    assertThat(server.established).isNotDone();
  }

  @Test
  void shouldRefuseAPeerOtherThanTheExpectedOne() throws Exception {
    PeerId someoneElse = Identity.generate().peerId();
    connect(
        listen(() -> new NoiseSecureHandler(serverIdentity, false, null)),
        () -> new NoiseSecureHandler(clientIdentity, true, someoneElse));

    assertThat(reasonOf(client)).isEqualTo(NoiseException.Reason.PEER_ID_MISMATCH);
    assertThat(client.error.get().getMessage())
        .contains(someoneElse.toBase58())
        .contains(serverIdentity.peerId().toBase58());
    assertThat(client.established).isNotDone();
    // The server never gets message 3: it sees the connection end mid-handshake.
    assertThat(reasonOf(server)).isEqualTo(NoiseException.Reason.HANDSHAKE_TRUNCATED);
  }

  // ---------------------------------------------------------------------------------------------

  private InetSocketAddress listen(Supplier<ChannelHandler> noise) {
    Channel channel =
        Loopback.listen(
            group,
            ch -> {
              ch.pipeline().addLast(noise.get(), server);
              server.channel.complete(ch);
            });
    return (InetSocketAddress) channel.localAddress();
  }

  /** Connects; with a null {@code noise}, a raw client that speaks whatever the test writes. */
  private Channel connect(
      InetSocketAddress address, Supplier<ChannelHandler> noise, ChannelHandler... wireHandlers) {
    return Loopback.connect(
        group,
        address,
        ch -> {
          ch.pipeline().addLast(wireHandlers);
          if (noise != null) {
            ch.pipeline().addLast(noise.get());
          }
          ch.pipeline().addLast(client);
          client.channel.complete(ch);
        });
  }

  private static NoiseException.Reason reasonOf(Endpoint endpoint) throws Exception {
    Throwable error = endpoint.error.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(error).isInstanceOf(NoiseException.class);
    return ((NoiseException) error).reason();
  }

  private static void sendInPieces(Channel channel, byte[] data) {
    Random sizes = new Random(3);
    int offset = 0;
    while (offset < data.length) {
      int n = Math.min(data.length - offset, 1 + sizes.nextInt(200_000));
      channel.write(Unpooled.wrappedBuffer(data, offset, n));
      if (sizes.nextInt(4) == 0) {
        channel.flush();
      }
      offset += n;
    }
    channel.flush();
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  /** One side's view: the established event, received bytes, the first error, the close. */
  @ChannelHandler.Sharable
  static final class Endpoint extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Channel> channel = new CompletableFuture<>();
    final CompletableFuture<SecureSessionEstablished> established = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SecureSessionEstablished) {
        established.complete((SecureSessionEstablished) evt);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      synchronized (received) {
        byte[] copy = new byte[buf.readableBytes()];
        buf.readBytes(copy).release();
        received.write(copy, 0, copy.length);
        received.notifyAll();
      }
    }

    /** Waits (bounded) until {@code size} bytes have arrived; returns them. */
    byte[] awaitBytes(int size) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      synchronized (received) {
        while (received.size() < size) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          assertThat(left).as("time left waiting for %d bytes", size).isPositive();
          received.wait(left);
        }
        return received.toByteArray();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      error.complete(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed.complete(null);
    }
  }

  /** Flips one bit of the n-th buffer written to the socket. */
  static final class FlipByteOfWrite extends ChannelOutboundHandlerAdapter {
    private final int target;
    private int count;

    FlipByteOfWrite(int target) {
      this.target = target;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (++count == target) {
        ByteBuf buf = (ByteBuf) msg;
        int last = buf.writerIndex() - 1;
        buf.setByte(last, buf.getByte(last) ^ 1);
      }
      ctx.write(msg, promise);
    }
  }
}
