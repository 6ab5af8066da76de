package io.meshlog.node.p2p.internal.yamux;

import io.netty.buffer.ByteBuf;

/** Writes back whatever arrives, and closes its side when the peer closes. */
final class Echo implements YamuxStream.Listener {
  static void attach(YamuxStream stream) {
    stream.setListener(new Echo());
  }

  @Override
  public void onData(YamuxStream stream, ByteBuf data) {
    stream.write(data);
  }

  @Override
  public void onRemoteClose(YamuxStream stream) {
    stream.closeWrite();
  }

  @Override
  public void onReset(YamuxStream stream) {}
}
