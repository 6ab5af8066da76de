package io.meshlog.node.p2p.internal.identify;

import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamHandler;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Identify: answers the remote's {@link Host#IDENTIFY} stream with one length-prefixed message and
 * closes it; asks the same of the remote on every new connection; accepts {@link
 * Host#IDENTIFY_PUSH} updates. A message that does not parse, or whose public key does not belong
 * to the connection's peer, is rejected and changes nothing.
 *
 * <p>Thread-safe; per-exchange state lives in stream listeners.
 */
public final class IdentifyService {

  /** Largest identify message accepted; js-libp2p caps it at 8 KiB, we allow some room. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** Told what each exchange yielded; called on the connection's I/O thread. */
  public interface Receiver {
    void identified(Connection connection, IdentifyMessage message, byte[] raw);

    void rejected(Connection connection, String reason);
  }

  private final Supplier<IdentifyMessage> local;
  private final Receiver receiver;

  /**
   * @param local this host's identify message without {@code observedAddr}, built on demand so that
   *     protocols registered later are included
   */
  public IdentifyService(Supplier<IdentifyMessage> local, Receiver receiver) {
    this.local = local;
    this.receiver = receiver;
  }

  /** Serves {@link Host#IDENTIFY}. */
  public StreamHandler responder() {
    return stream -> {
      sendLocal(stream);
      stream.setListener((s, data) -> {});
    };
  }

  /**
   * Tells the remote of {@code connection} what changed ({@link Host#IDENTIFY_PUSH}): the whole
   * current message, as js-libp2p does.
   */
  public CompletableFuture<Void> push(Connection connection) {
    return connection.newStream(Host.IDENTIFY_PUSH).thenAccept(this::sendLocal);
  }

  private void sendLocal(ProtocolStream stream) {
    IdentifyMessage m = local.get();
    byte[] observed = stream.connection().info().remoteAddress().bytes();
    IdentifyMessage withObserved =
        new IdentifyMessage(
            m.protocolVersion(),
            m.agentVersion(),
            m.publicKey(),
            m.listenAddrs(),
            observed,
            m.protocols(),
            m.signedPeerRecord());
    stream.writeMessage(IdentifyCodec.encode(withObserved));
    stream.closeWrite();
  }

  /** Serves {@link Host#IDENTIFY_PUSH}: one message from the remote, then the stream ends. */
  public StreamHandler pushReceiver() {
    return this::readOne;
  }

  /** Asks the remote of {@code connection} who it is; completes when the answer was handled. */
  public CompletableFuture<Void> identify(Connection connection) {
    return connection
        .newStream(Host.IDENTIFY)
        .thenAccept(
            stream -> {
              stream.closeWrite();
              readOne(stream);
            });
  }

  private void readOne(ProtocolStream stream) {
    stream.setMessageListener(
        MAX_MESSAGE_BYTES,
        new MessageListener() {
          private boolean seen;

          @Override
          public void onMessage(ProtocolStream s, byte[] message) {
            if (seen) {
              return; // one message per stream; the rest is ignored
            }
            seen = true;
            accept(s.connection(), message);
            s.closeWrite();
          }
        });
  }

  private void accept(Connection connection, byte[] raw) {
    IdentifyMessage message;
    try {
      message = IdentifyCodec.decode(raw);
    } catch (IdentifyException e) {
      receiver.rejected(connection, e.getMessage());
      return;
    }
    if (message.publicKey() != null) {
      PeerId claimed;
      try {
        claimed = PeerId.fromPublicKeyProtobuf(message.publicKey());
      } catch (RuntimeException e) {
        receiver.rejected(connection, "unreadable public key");
        return;
      }
      if (!Arrays.equals(claimed.bytes(), connection.remotePeer().bytes())) {
        receiver.rejected(connection, "public key is not the connection's peer");
        return;
      }
    }
    receiver.identified(connection, message, raw);
  }
}
