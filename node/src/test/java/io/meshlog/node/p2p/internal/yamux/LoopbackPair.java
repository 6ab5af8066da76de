package io.meshlog.node.p2p.internal.yamux;

import io.meshlog.node.testing.Loopback;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
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
  private final List<Channel> serverChildren = new CopyOnWriteArrayList<>();
  private final List<ReadCounter> serverReads = new CopyOnWriteArrayList<>();

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
    CompletableFuture<YamuxSession> firstServerSession = new CompletableFuture<>();
    listener =
        Loopback.listen(
            serverGroup,
            b ->
                b.childOption(ChannelOption.ALLOCATOR, serverAlloc)
                    .childOption(ChannelOption.TCP_NODELAY, true),
            ch -> {
              // A session per connection; the first one is the pair's server side.
              YamuxSession yamux = new YamuxSession(false, serverConfig, serverInbound);
              ReadCounter reads = new ReadCounter();
              ch.pipeline().addLast(reads, yamux, new ErrorRecorder(serverErrors));
              serverChildren.add(ch);
              serverReads.add(reads);
              firstServerSession.complete(yamux);
              accepted.complete(ch);
            });
    YamuxSession clientYamux = new YamuxSession(true, clientConfig, acceptedByClient::add);
    client =
        Loopback.connect(
            clientGroup,
            b ->
                b.option(ChannelOption.ALLOCATOR, clientAlloc)
                    .option(ChannelOption.TCP_NODELAY, true),
            listener.localAddress(),
            ch -> ch.pipeline().addLast(clientYamux, new ErrorRecorder(clientErrors)));
    server = accepted.get(10, TimeUnit.SECONDS);
    clientSession = clientYamux;
    serverSession = firstServerSession.get(10, TimeUnit.SECONDS);
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

  java.net.SocketAddress serverAddress() {
    return listener.localAddress();
  }

  /** Bytes read so far by the server side of the most recent connection. */
  long lastServerBytesRead() {
    return serverReads.get(serverReads.size() - 1).bytes.get();
  }

  /** Bytes the server side of the most recent connection has queued but not yet written. */
  long lastServerPendingWriteBytes() throws Exception {
    Channel ch = serverChildren.get(serverChildren.size() - 1);
    return ch.eventLoop()
        .submit(
            () -> {
              io.netty.channel.ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
              return out == null ? 0L : out.totalPendingWriteBytes();
            })
        .get(10, TimeUnit.SECONDS);
  }

  YamuxStream open() throws Exception {
    return clientSession.openStream().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    client.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    for (Channel ch : serverChildren) {
      ch.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
    listener.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** Counts the bytes a connection reads, ahead of its yamux session. */
  static final class ReadCounter extends ChannelInboundHandlerAdapter {
    final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      bytes.addAndGet(((io.netty.buffer.ByteBuf) msg).readableBytes());
      ctx.fireChannelRead(msg);
    }
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
