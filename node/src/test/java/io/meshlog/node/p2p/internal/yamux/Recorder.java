package io.meshlog.node.p2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** A stream listener that keeps everything it is told; thread-safe for the test thread. */
final class Recorder implements YamuxStream.Listener {
  final CompletableFuture<Void> remoteClosed = new CompletableFuture<>();
  final CompletableFuture<Void> reset = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  @Override
  public void onData(YamuxStream stream, ByteBuf data) {
    try {
      byte[] copy = new byte[data.readableBytes()];
      data.readBytes(copy);
      synchronized (bytes) {
        bytes.write(copy, 0, copy.length);
      }
    } finally {
      data.release();
    }
  }

  @Override
  public void onRemoteClose(YamuxStream stream) {
    remoteClosed.complete(null);
  }

  @Override
  public void onReset(YamuxStream stream) {
    reset.complete(null);
  }

  byte[] bytes() {
    synchronized (bytes) {
      return bytes.toByteArray();
    }
  }

  int size() {
    synchronized (bytes) {
      return bytes.size();
    }
  }
}
