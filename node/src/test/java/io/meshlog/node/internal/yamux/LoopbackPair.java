package io.meshlog.node.internal.yamux;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Two yamux sessions over a real TCP connection on 127.0.0.1, no security layer in between. */
final class LoopbackPair implements AutoCloseable {
  final Channel client;
  final Channel server;
  final YamuxSession clientSession;
  final YamuxSession serverSession;
  final LinkedBlockingQueue<YamuxStream> acceptedByClient = new LinkedBlockingQueue<>();
  final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
  final List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
  private final Channel listener;

  private LoopbackPair(
      EventLoopGroup clientGroup,
      EventLoopGroup serverGroup,
      ByteBufAllocator clientAlloc,
      ByteBufAllocator serverAlloc,
      YamuxConfig clientConfig,
      YamuxConfig serverConfig,
      Consumer<YamuxStream> serverInbound)
      throws Exception {
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    YamuxSession serverYamux = new YamuxSession(false, serverConfig, serverInbound);
    listener =
        new ServerBootstrap()
            .group(serverGroup)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, serverAlloc)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(serverYamux, new ErrorRecorder(serverErrors));
                    accepted.complete(ch);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    YamuxSession clientYamux = new YamuxSession(true, clientConfig, acceptedByClient::add);
    client =
        new Bootstrap()
            .group(clientGroup)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, clientAlloc)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(clientYamux, new ErrorRecorder(clientErrors));
                  }
                })
            .connect(listener.localAddress())
            .sync()
            .channel();
    server = accepted.get(10, TimeUnit.SECONDS);
    clientSession = clientYamux;
    serverSession = serverYamux;
  }

  static LoopbackPair start(
      EventLoopGroup group,
      ByteBufAllocator clientAlloc,
      ByteBufAllocator serverAlloc,
      YamuxConfig clientConfig,
      YamuxConfig serverConfig,
      Consumer<YamuxStream> serverInbound)
      throws Exception {
    return new LoopbackPair(
        group, group, clientAlloc, serverAlloc, clientConfig, serverConfig, serverInbound);
  }

  static LoopbackPair start(
      EventLoopGroup clientGroup,
      EventLoopGroup serverGroup,
      ByteBufAllocator clientAlloc,
      ByteBufAllocator serverAlloc,
      YamuxConfig clientConfig,
      YamuxConfig serverConfig,
      Consumer<YamuxStream> serverInbound)
      throws Exception {
    return new LoopbackPair(
        clientGroup,
        serverGroup,
        clientAlloc,
        serverAlloc,
        clientConfig,
        serverConfig,
        serverInbound);
  }

  YamuxStream open() throws Exception {
    return clientSession.openStream().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
    listener.close().await(10, TimeUnit.SECONDS);
  }

  /** Keeps exceptions that reach the end of the pipeline, so tests can look at them. */
  static final class ErrorRecorder extends ChannelInboundHandlerAdapter {
    private final List<Throwable> errors;

    ErrorRecorder(List<Throwable> errors) {
      this.errors = errors;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }
  }
}
