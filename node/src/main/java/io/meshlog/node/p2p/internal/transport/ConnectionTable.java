package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is connected: the upgraded connections of the host, by remote peer.
 *
 * <p>Invariants: a connection is in the table from its successful {@link #add} until its {@link
 * #remove}, and counted in {@link #size} for exactly that time; the count never passes {@code
 * maxConnections} (an {@code add} beyond it is refused and leaves no trace); a peer with no
 * connection left has no entry. Any rule about which connections to the same peer may coexist
 * belongs in {@link #add} — today several may, for instance when two hosts dial each other at once
 * and both dials succeed; {@link #open(PeerId)} then answers with the first that is open.
 *
 * <p>Thread-safe: connections are added and removed on their channels' event loops and read from
 * any thread.
 */
final class ConnectionTable {
  private final int maxConnections;
  private final Map<PeerId, List<NettyConnection>> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  ConnectionTable(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** Adds an upgraded connection; returns why it is refused, or null when it was added. */
  String add(NettyConnection c) {
    if (size.incrementAndGet() > maxConnections) {
      size.decrementAndGet();
      return "too many connections (maxConnections=" + maxConnections + ")";
    }
    byPeer.computeIfAbsent(c.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(c);
    return null;
  }

  /** Removes a connection that {@link #add} accepted, once it closed. */
  void remove(NettyConnection c) {
    size.decrementAndGet();
    byPeer.computeIfPresent(
        c.remotePeer(),
        (p, list) -> {
          list.remove(c);
          return list.isEmpty() ? null : list;
        });
  }

  /** The first open connection to {@code peer}, if any. */
  Optional<NettyConnection> open(PeerId peer) {
    List<NettyConnection> list = byPeer.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    for (NettyConnection c : list) {
      if (c.isOpen()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Every connection to {@code peer}, open or closing. */
  List<NettyConnection> of(PeerId peer) {
    List<NettyConnection> list = byPeer.get(peer);
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Every connection, open or closing (a snapshot). */
  List<NettyConnection> all() {
    List<NettyConnection> out = new ArrayList<>();
    for (List<NettyConnection> list : byPeer.values()) {
      out.addAll(list);
    }
    return out;
  }

  /** Connections added and not yet removed. */
  int size() {
    return size.get();
  }

  /** Whether the table is full, so an inbound connection is refused before its handshake. */
  boolean isFull() {
    return size.get() >= maxConnections;
  }
}
