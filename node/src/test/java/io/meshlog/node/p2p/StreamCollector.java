package io.meshlog.node.p2p;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;

/** Receives a stream until the remote closes it, keeping a count and a SHA-256 of the bytes. */
final class StreamCollector implements StreamListener {
  final CompletableFuture<byte[]> digest = new CompletableFuture<>();
  final CompletableFuture<Void> reset = new CompletableFuture<>();
  private final MessageDigest sha;
  private final StringBuilder text = new StringBuilder();
  private final boolean keepText;
  volatile long bytes;

  StreamCollector(boolean keepText) {
    this.keepText = keepText;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void onData(ProtocolStream stream, ByteBuffer data) {
    bytes += data.remaining();
    if (keepText) {
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      text.append(new String(copy, java.nio.charset.StandardCharsets.UTF_8));
    }
    sha.update(data);
  }

  @Override
  public void onRemoteClose(ProtocolStream stream) {
    digest.complete(sha.digest());
  }

  @Override
  public void onReset(ProtocolStream stream) {
    reset.complete(null);
    digest.completeExceptionally(new IllegalStateException("reset"));
  }

  String text() {
    return text.toString();
  }
}
