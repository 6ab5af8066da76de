package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.node.p2p.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is connected: the upgraded connections of the host, by remote peer, and the rule of one
 * connection per peer pair.
 *
 * <p>Invariants: a connection is in the table from an {@link #add} that admitted it until its
 * {@link #remove}, and counted in {@link #size} for exactly that time; the count never passes
 * {@code maxConnections} (an {@code add} beyond it is refused and leaves no trace); a peer with no
 * connection left has no entry.
 *
 * <p>One connection per pair. When two hosts dial each other at once, both dials succeed and each
 * host holds two connections to the other, registered in an order that may differ on the two sides.
 * Both must keep the same one, so the rule may look only at what both sides see alike: <b>the
 * connection dialled by the peer with the greater peer id survives</b> (ids compared as unsigned
 * bytes of their binary form; floodsub's choice in go-libp2p, and rust-libp2p's dial priority,
 * decide by id the same way). The one exception is a connection older than {@code
 * simultaneousWindow} (the handshake timeout): two dials that raced are both registered within that
 * window of each other on either side, so an older connection means the remote dialled again
 * because it lost its side (a restart, a dead socket), and the newer connection wins. Two
 * connections dialled by the same side are no race: both sides see the same pair, and both are
 * admitted (a dial without {@code /p2p} may open another on purpose). A connection that arrives
 * while the last one to its peer is closing, its close not yet handled, is judged against nothing:
 * it {@link Verdict#FOLLOWS} and is added again once that close is handled.
 *
 * <p>Thread-safe: {@link #add} and {@link #remove} are serialised on the table (a few per
 * connection, never per message); reads are lock-free.
 */
final class ConnectionTable {

  /** What {@link #add} decided. */
  enum Verdict {
    /** Admitted, and the only connection to its peer: announce it. */
    ADDED,
    /** Refused because the table is full; {@code reason} says so. */
    REFUSED,
    /** Loses to {@code other}, which stays: close the new one (it was never announced). */
    DUPLICATE,
    /** Admitted and wins over {@code other}: close that one, announce this when it has closed. */
    SUPERSEDES,
    /**
     * Not admitted yet: {@code other}, an earlier connection to the peer, is closing and the table
     * has not removed it. Add this one again once that close is handled (removed, and the host's
     * listeners told).
     */
    FOLLOWS
  }

  /** A verdict, the other connection it is about (or null) and the reason to journal. */
  record Admission(Verdict verdict, NettyConnection other, String reason) {}

  private final PeerId local;
  private final int maxConnections;
  private final long simultaneousWindowNanos;
  private final Map<PeerId, List<NettyConnection>> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  // Removed, but the host is still handling their close (it forgets a connection before it tells
  // its listeners); gone once their channel is deregistered. Under the table's lock; a few at most.
  private final List<NettyConnection> leaving = new ArrayList<>();

  ConnectionTable(PeerId local, int maxConnections, Duration simultaneousWindow) {
    this.local = local;
    this.maxConnections = maxConnections;
    this.simultaneousWindowNanos = simultaneousWindow.toNanos();
  }

  /** Admits an upgraded connection or says why not; see the class comment for the rule. */
  synchronized Admission add(NettyConnection c) {
    if (size.get() >= maxConnections) {
      return new Admission(
          Verdict.REFUSED, null, "too many connections (maxConnections=" + maxConnections + ")");
    }
    long now = System.nanoTime();
    NettyConnection e = current(c.remotePeer()).orElse(null);
    Admission a;
    NettyConnection closing = e == null ? closing(c.remotePeer()) : null;
    if (closing != null) {
      // The last connection to the peer is closing and its close not handled yet. Judging the new
      // one against it would be judging against a connection both sides are leaving, and
      // announcing the new one now would let a listener see two connections to one peer.
      return new Admission(Verdict.FOLLOWS, closing, null);
    } else if (e == null) {
      a = new Admission(Verdict.ADDED, null, null);
    } else if (e.direction() == c.direction()) {
      // Dialled by the same side on purpose (a dial without /p2p, several links to one server):
      // no race to settle, and the two sides see the same set. Both are admitted.
      a = new Admission(Verdict.ADDED, null, null);
    } else if (now - e.registeredNanos() > simultaneousWindowNanos) {
      a =
          new Admission(
              Verdict.SUPERSEDES,
              e,
              "duplicate: kept the newer connection dialled by "
                  + dialler(c)
                  + " (the older one is past the simultaneous-dial window)");
    } else if (greater(dialler(c), dialler(e))) {
      a =
          new Admission(
              Verdict.SUPERSEDES,
              e,
              "duplicate: kept the connection dialled by " + dialler(c) + " (greater peer id)");
    } else {
      return new Admission(
          Verdict.DUPLICATE,
          e,
          "duplicate: kept the connection dialled by " + dialler(e) + " (greater peer id)");
    }
    size.incrementAndGet();
    c.registered(now);
    if (a.verdict() == Verdict.SUPERSEDES) {
      e.supersededBy(c);
    }
    byPeer.computeIfAbsent(c.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(c);
    return a;
  }

  private PeerId dialler(NettyConnection c) {
    return c.direction() == Direction.OUTBOUND ? local : c.remotePeer();
  }

  /** Whether {@code a} orders after {@code b}: unsigned bytes of the binary peer ids. */
  static boolean greater(PeerId a, PeerId b) {
    return Arrays.compareUnsigned(a.bytes(), b.bytes()) > 0;
  }

  /**
   * A connection to {@code peer} whose close is not handled yet, or null: one still in the table
   * that is closed or superseded, or one removed while the host is still telling its listeners (its
   * channel is deregistered once that is done). Only asked when no connection is current.
   */
  private NettyConnection closing(PeerId peer) {
    List<NettyConnection> list = byPeer.get(peer);
    if (list != null && !list.isEmpty()) {
      return list.get(0);
    }
    leaving.removeIf(x -> !x.channel().isRegistered());
    for (NettyConnection x : leaving) {
      if (x.remotePeer().equals(peer)) {
        return x;
      }
    }
    return null;
  }

  /** Removes a connection that {@link #add} admitted, once it closed. */
  synchronized void remove(NettyConnection c) {
    List<NettyConnection> list = byPeer.get(c.remotePeer());
    if (list == null || !list.remove(c)) {
      return;
    }
    size.decrementAndGet();
    if (list.isEmpty()) {
      byPeer.remove(c.remotePeer());
    }
    leaving.removeIf(x -> !x.channel().isRegistered());
    if (c.channel().isRegistered()) {
      leaving.add(c);
    }
  }

  /** The first announced, open connection to {@code peer} that no other supersedes, if any. */
  Optional<NettyConnection> open(PeerId peer) {
    List<NettyConnection> list = byPeer.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    for (NettyConnection c : list) {
      if (c.isOpen() && c.isAnnounced() && c.successor() == null) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * The connection that stands for {@code peer}: open and not superseded, announced or still
   * waiting for the one it supersedes to close.
   */
  Optional<NettyConnection> current(PeerId peer) {
    List<NettyConnection> list = byPeer.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    for (NettyConnection c : list) {
      if (c.isOpen() && c.successor() == null) {
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
