package io.meshlog.node.p2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.interop.JsPeer;
import io.meshlog.node.interop.JsPeers;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * meshlog's Noise against js-libp2p's ({@code @chainsafe/libp2p-noise}), in both roles. A minimal
 * multistream-select exchange reaches {@code /noise}; after the handshake the two sides run the
 * encrypted multistream-select round for the muxer, which proves transport encryption works both
 * ways. The muxer itself is not started (that is the transport's interop test).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NoiseJsInteropIT {

  private static final long WAIT = 20;
  private static final byte[] MUXER_PROPOSAL =
      concat(msg("/multistream/1.0.0"), msg("/yamux/1.0.0"));

  @RegisterExtension final JsPeers js = new JsPeers();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Identity identity = Identity.generate();
  private final NoiseLoopbackTest.Endpoint java = new NoiseLoopbackTest.Endpoint();

  @AfterEach
  void shutdown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void shouldCompleteTheNoiseHandshakeWhenJavaDialsJs() throws Exception {
    JsPeer peer = js.start();
    PeerId expected = PeerId.parse(peer.peerId());
    InetSocketAddress address = Multiaddr.parse(peer.addr()).toSocketAddress();

    Channel channel =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(pipeline(true, new NoiseSecureHandler(identity, true, expected)))
            .connect(address)
            .syncUninterruptibly()
            .channel();

    SecureSessionEstablished session = java.established.get(WAIT, TimeUnit.SECONDS);
    assertThat(session.remotePeer()).isEqualTo(expected);
    assertThat(session.remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
    channel.writeAndFlush(Unpooled.wrappedBuffer(MUXER_PROPOSAL));
    // js, as listener, echoes the header and accepts the muxer: decrypted by us, encrypted by js.
    // Its first yamux frame (a ping) may follow in the same read, hence "starts with".
    assertThat(java.awaitBytes(MUXER_PROPOSAL.length)).startsWith(MUXER_PROPOSAL);
    assertThat(java.error).isNotDone();
  }

  @Test
  void shouldCompleteTheNoiseHandshakeWhenJsDialsJava() throws Exception {
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(pipeline(false, new NoiseSecureHandler(identity, false, null)))
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    Multiaddr ours =
        Multiaddr.of((InetSocketAddress) server.localAddress()).withPeerId(identity.peerId());
    JsPeer peer = js.start();

    // The dial cannot finish (no muxer here); only the Noise part is under test.
    CompletableFuture<Void> dial = CompletableFuture.runAsync(() -> peer.dial(ours.toString()));

    SecureSessionEstablished session = java.established.get(WAIT, TimeUnit.SECONDS);
    assertThat(session.remotePeer()).isEqualTo(PeerId.parse(peer.peerId()));
    assertThat(session.remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
    // js, as dialer, proposes its muxer through the encrypted channel
    assertThat(java.awaitBytes(MUXER_PROPOSAL.length)).isEqualTo(MUXER_PROPOSAL);
    assertThat(java.error).isNotDone();
    java.channel.get().close();
    dial.handle((ok, failure) -> null).get(WAIT, TimeUnit.SECONDS);
  }

  private ChannelInitializer<SocketChannel> pipeline(boolean dialer, NoiseSecureHandler noise) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new MultistreamToNoise(dialer, noise), java);
        java.channel.complete(ch);
      }
    };
  }

  /**
   * Just enough multistream-select 1.0 to agree on {@code /noise}, then hands over to the Noise
   * handler with whatever bytes followed.
   */
  static final class MultistreamToNoise extends ChannelInboundHandlerAdapter {
    private static final byte[] NOISE_PROPOSAL = concat(msg("/multistream/1.0.0"), msg("/noise"));
    private final boolean dialer;
    private final NoiseSecureHandler noise;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    MultistreamToNoise(boolean dialer, NoiseSecureHandler noise) {
      this.dialer = dialer;
      this.noise = noise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (dialer) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(NOISE_PROPOSAL));
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      byte[] bytes = new byte[in.readableBytes()];
      in.readBytes(bytes).release();
      buffer.write(bytes, 0, bytes.length);
      byte[] all = buffer.toByteArray();
      int offset = 0;
      while (offset < all.length && offset + 1 + (all[offset] & 0xFF) <= all.length) {
        int length = all[offset] & 0xFF; // every message here is shorter than 128 bytes
        String text = new String(all, offset + 1, length, StandardCharsets.UTF_8);
        offset += 1 + length;
        if (text.equals("/noise\n")) {
          if (!dialer) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(NOISE_PROPOSAL));
          }
          ctx.pipeline().addAfter(ctx.name(), "noise", noise);
          if (offset < all.length) {
            ctx.fireChannelRead(Unpooled.wrappedBuffer(all, offset, all.length - offset));
          }
          ctx.pipeline().remove(this);
          return;
        }
      }
    }
  }

  private static byte[] msg(String protocol) {
    byte[] text = (protocol + "\n").getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) text.length}, text);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
