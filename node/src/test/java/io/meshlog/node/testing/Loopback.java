package io.meshlog.node.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * Real TCP pairs on 127.0.0.1 for protocol tests: a listener on a free port whose accepted channels
 * a test fills, and a client channel to it. Tests that need a whole host use {@code Hosts.start};
 * these are for one protocol layer over a real socket.
 */
public final class Loopback {
  private Loopback() {}

  /** Listens on 127.0.0.1 on a free port; {@code initChild} sets up each accepted channel. */
  public static Channel listen(EventLoopGroup group, Consumer<SocketChannel> initChild) {
    return listen(group, b -> {}, initChild);
  }

  /** As {@link #listen(EventLoopGroup, Consumer)}, with child options set by {@code options}. */
  public static Channel listen(
      EventLoopGroup group, Consumer<ServerBootstrap> options, Consumer<SocketChannel> initChild) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initChild.accept(ch);
                  }
                });
    options.accept(b);
    return b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  /** Connects to {@code address}; {@code init} sets up the client channel's pipeline. */
  public static Channel connect(
      EventLoopGroup group, SocketAddress address, Consumer<SocketChannel> init) {
    return connect(group, b -> {}, address, init);
  }

  /** As {@link #connect(EventLoopGroup, SocketAddress, Consumer)}, with options. */
  public static Channel connect(
      EventLoopGroup group,
      Consumer<Bootstrap> options,
      SocketAddress address,
      Consumer<SocketChannel> init) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    init.accept(ch);
                  }
                });
    options.accept(b);
    return b.connect(address).syncUninterruptibly().channel();
  }
}
