package io.meshlog.node.p2p;

import io.meshlog.eventlog.EventSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p host: listens on TCP, dials, upgrades every connection (multistream-select, Noise XX,
 * multistream-select, Yamux), answers identify and ping, and runs the protocols registered with
 * {@link #handle}. Everything that happens to connections is published to the {@link EventSink}.
 *
 * <p>Thread-safe: every method may be called from any thread. Methods returning futures never
 * block; futures complete on an I/O thread, so callbacks must not block either. A peer that breaks
 * a rule loses its connection and is journaled as {@code INPUT_REJECTED}; it never affects the
 * host. {@code p2p.factory.Hosts.start} starts one.
 */
public interface Host extends AutoCloseable {

  /** The protocol id of identify, served by every host. */
  String IDENTIFY = "/ipfs/id/1.0.0";

  /** The protocol id of identify push, received by every host. */
  String IDENTIFY_PUSH = "/ipfs/id/push/1.0.0";

  /** The protocol id of ping, served by every host. */
  String PING = "/ipfs/ping/1.0.0";

  /** This host's peer id. */
  PeerId peerId();

  /** The bound listen addresses, each ending in {@code /p2p/<peer id>}. */
  List<Multiaddr> listenAddresses();

  /**
   * Connects to {@code address} (which may carry {@code /p2p/<id>}, then checked after Noise) and
   * completes with the upgraded connection. An open connection to the same peer is reused.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /**
   * Serves {@code protocolId} with {@code handler} on every connection, present and future.
   * Replaces an earlier handler for the same id. A new protocol is announced to connected peers
   * with identify push.
   */
  void handle(String protocolId, StreamHandler handler);

  /** Opens a stream with {@code protocolId} on the open connection to {@code peer}. */
  CompletableFuture<ProtocolStream> newStream(PeerId peer, String protocolId);

  /**
   * Opens a stream on the open connection to {@code peer}, proposing {@code protocolIds} in order.
   */
  CompletableFuture<ProtocolStream> newStream(PeerId peer, List<String> protocolIds);

  /** The open connection to {@code peer}, if any. */
  Optional<Connection> connection(PeerId peer);

  /**
   * The signed peer record (envelope bytes, as received, not verified) that {@code peer} sent in
   * identify on its open connection, or null: what peer exchange passes on to others.
   */
  byte[] signedPeerRecord(PeerId peer);

  /** A snapshot of every open connection. */
  List<ConnectionInfo> connections();

  /** Pings {@code peer} over {@code /ipfs/ping/1.0.0} and completes with the round trip. */
  CompletableFuture<Duration> ping(PeerId peer);

  /** Closes every connection to {@code peer}; completes at once when there is none. */
  CompletableFuture<Void> disconnect(PeerId peer);

  /** Adds a listener told about every connection opened or closed from now on. */
  void addConnectionListener(ConnectionListener listener);

  /** The current value of a counter. */
  long counter(TransportCounter counter);

  /**
   * Stops listening, lets what the streams had written reach the peers (waiting {@code
   * host.closeGrace} at most), closes every connection and releases the I/O threads; waits for
   * that, so it must not be called from an I/O thread (a listener or future callback). Idempotent.
   */
  @Override
  void close();
}
