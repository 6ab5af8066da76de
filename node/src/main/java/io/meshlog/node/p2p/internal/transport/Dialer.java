package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.TransportCounter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outbound dials: resolving the address, the TCP connect with its timeout, and handing the channel
 * to the upgrade. A dial completes when the upgraded connection is registered, or fails with why.
 *
 * <p>Invariants: a dial to a peer we are connected to returns that connection without dialling; for
 * one expected peer at most one dial is in flight, and every caller dialling it meanwhile gets that
 * same future; the in-flight entry leaves when its dial completes, either way. Dials to an address
 * without a peer id are never merged. DNS names are resolved off the caller's thread, which may be
 * an event loop.
 *
 * <p>Thread-safe.
 */
final class Dialer {

  /** Starts the upgrade of a dialled channel (security, muxer, registration). */
  interface Upgrade {
    void start(Channel ch, PeerId expected, CompletableFuture<Connection> result);
  }

  private final EventLoopGroup group;
  private final Duration dialTimeout;
  private final ConnectionTable connections;
  private final TransportEvents events;
  private final CounterSet<TransportCounter> counters;
  private final Upgrade upgrade;
  private final Map<PeerId, CompletableFuture<Connection>> inFlight = new ConcurrentHashMap<>();

  Dialer(
      EventLoopGroup group,
      Duration dialTimeout,
      ConnectionTable connections,
      TransportEvents events,
      CounterSet<TransportCounter> counters,
      Upgrade upgrade) {
    this.group = group;
    this.dialTimeout = dialTimeout;
    this.connections = connections;
    this.events = events;
    this.counters = counters;
    this.upgrade = upgrade;
  }

  /** Dials {@code address}; see the class comment for when no new dial is made. */
  CompletableFuture<Connection> dial(Multiaddr address) {
    PeerId expected = address.peerId().orElse(null);
    if (expected == null) {
      CompletableFuture<Connection> result = new CompletableFuture<>();
      connect(address, null, result);
      return result;
    }
    Optional<NettyConnection> existing = connections.current(expected);
    if (existing.isPresent()) {
      // Announced, or about to be once the connection it replaces has closed.
      return existing.get().ready();
    }
    CompletableFuture<Connection> mine = new CompletableFuture<>();
    CompletableFuture<Connection> pending = inFlight.putIfAbsent(expected, mine);
    if (pending != null) {
      return pending;
    }
    mine.whenComplete((c, e) -> inFlight.remove(expected, mine));
    connect(address, expected, mine);
    return mine;
  }

  /** Dials in flight (to an expected peer). */
  int inFlight() {
    return inFlight.size();
  }

  private void connect(Multiaddr address, PeerId expected, CompletableFuture<Connection> result) {
    if (address.toString().startsWith("/dns")) {
      // DNS blocks: resolve off the caller's thread, which may be an event loop.
      CompletableFuture.supplyAsync(address::toSocketAddress)
          .whenComplete(
              (target, e) -> {
                if (e != null) {
                  fail(address, expected, result, e);
                } else {
                  connect(address, target, expected, result);
                }
              });
      return;
    }
    InetSocketAddress target;
    try {
      target = address.toSocketAddress();
    } catch (RuntimeException e) {
      fail(address, expected, result, e);
      return;
    }
    connect(address, target, expected, result);
  }

  private void fail(
      Multiaddr address, PeerId expected, CompletableFuture<Connection> result, Throwable e) {
    counters.increment(TransportCounter.CONNECTIONS_FAILED);
    events.connectionFailed(expected, Direction.OUTBOUND, address + " " + e.getMessage());
    result.completeExceptionally(e);
  }

  private void connect(
      Multiaddr address,
      InetSocketAddress target,
      PeerId expected,
      CompletableFuture<Connection> result) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, dialTimeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    upgrade.start(ch, expected, result);
                  }
                });
    b.connect(target)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                fail(address, expected, result, f.cause());
              }
            });
  }
}
