package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.p2p.TransportCounter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the raw bytes each socket reads and writes; sits first in every pipeline. */
@Sharable
final class ByteCountingHandler extends ChannelDuplexHandler {
  private final CounterSet<TransportCounter> counters;

  ByteCountingHandler(CounterSet<TransportCounter> counters) {
    this.counters = counters;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      counters.add(TransportCounter.BYTES_READ, buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf) {
      counters.add(TransportCounter.BYTES_WRITTEN, buf.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
