package io.meshlog.node.p2p.internal.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Runs a {@link MultistreamNegotiator} on a Netty channel and steps aside when it is done.
 *
 * <p>On success it calls {@link Listener#onSelected} (which adds the next protocol's handler right
 * after this one) and removes itself; bytes that arrived behind the selecting message are then
 * passed on to that next handler. On failure it calls {@link Listener#onFailed} and closes the
 * channel.
 *
 * <p>A dialer writes its header and proposal when the channel becomes active, or at once when it is
 * added to a channel that already is (the second negotiation, behind Noise).
 */
public final class MultistreamHandler extends ByteToMessageDecoder {

  /** Told how the negotiation ended; called on the channel's event loop. */
  public interface Listener {
    void onSelected(ChannelHandlerContext ctx, String protocol);

    void onFailed(ChannelHandlerContext ctx, String reason);
  }

  private final MultistreamNegotiator negotiator;
  private final Listener listener;
  private boolean started;

  public MultistreamHandler(MultistreamNegotiator negotiator, Listener listener) {
    this.negotiator = negotiator;
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    if (negotiator.isDialer()) {
      ByteBuf out = ctx.alloc().buffer(64);
      negotiator.start(out);
      ctx.writeAndFlush(out);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    ByteBuf reply = ctx.alloc().buffer(64);
    MultistreamNegotiator.Result result;
    try {
      result = negotiator.feed(in, reply);
    } catch (RuntimeException e) {
      reply.release();
      throw e;
    }
    if (reply.isReadable()) {
      ctx.writeAndFlush(reply);
    } else {
      reply.release();
    }
    switch (result) {
      case SELECTED:
        listener.onSelected(ctx, negotiator.selected());
        ctx.pipeline().remove(this);
        break;
      case FAILED:
        in.skipBytes(in.readableBytes());
        listener.onFailed(ctx, negotiator.failure());
        ctx.close();
        break;
      default:
        break;
    }
  }
}
