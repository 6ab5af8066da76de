package io.meshlog.node.p2p;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One multiplexed stream on a {@link Connection}, after its protocol was agreed.
 *
 * <p>Threading: every method may be called from any thread. Listener callbacks arrive on the
 * connection's I/O thread, one at a time and in order; a listener must not block (never wait on a
 * future there). Data that arrives before a listener is set is buffered, up to the host's {@link
 * HostConfig#maxMessageSize()}; beyond that the stream is reset.
 *
 * <p>Writes are queued in order. Each returned future completes when the bytes were handed to the
 * connection (not when the remote read them), and fails when the stream is reset or closed, or when
 * the remote does not take data and too much is queued.
 */
public interface ProtocolStream {

  /** The protocol id agreed with multistream-select. */
  String protocolId();

  /** The peer at the other end. */
  PeerId remotePeer();

  /** The connection this stream runs on. */
  Connection connection();

  /** True when this side opened the stream. */
  boolean isInitiator();

  /** Writes {@code data}; the array belongs to the stream afterwards and must not be changed. */
  CompletableFuture<Void> write(byte[] data);

  /** Writes the remaining bytes of {@code data} (copied before the call returns). */
  CompletableFuture<Void> write(ByteBuffer data);

  /** Writes {@code message} prefixed with its length as an unsigned varint. */
  CompletableFuture<Void> writeMessage(byte[] message);

  /**
   * Receives the stream's bytes as they arrive, in chunks of any size. Replaces any earlier
   * listener.
   */
  void setListener(StreamListener listener);

  /**
   * Receives the stream as varint-length-prefixed messages. A message longer than {@code
   * maxMessageBytes} (or a malformed prefix) resets the stream and is journaled as rejected input.
   */
  void setMessageListener(int maxMessageBytes, MessageListener listener);

  /** Half-closes: no more writes from this side; the remote may still send. Idempotent. */
  void closeWrite();

  /** Aborts the stream in both directions; pending writes fail. Idempotent. */
  void reset();

  /** False once the stream was reset or closed in both directions. */
  boolean isOpen();
}
