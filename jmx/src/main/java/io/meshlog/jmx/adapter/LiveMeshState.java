package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.jmx.MeshlogNotifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live mesh as the journal tells it, for consoles: which topics this node is in, who is in each
 * topic mesh, which topics each peer subscribes to, each peer's last gossip score; and the JMX
 * notifications for connections and mesh changes. It is a journal consumer, so it shows only what
 * was journaled, in journal order.
 *
 * <pre>
 *   JOIN / LEAVE                          subscribed topics
 *   GRAFT / PRUNE                         mesh peers per topic   + io.meshlog.mesh.graft / prune
 *   PEER_SUBSCRIBED / PEER_UNSUBSCRIBED   topics per peer
 *   SCORE_SNAPSHOT                        score per peer
 *   CONNECTION_OPENED / CLOSED            -                      + io.meshlog.peer.connected / ...
 *   REORDER_APPLIED                       -                      + io.meshlog.order.reordered
 *   REMOVE_PEER                           peer leaves every mesh and topic
 *   DELIVER_MESSAGE                       delivery latency per topic and peer   (LiveLatencies)
 * </pre>
 *
 * Every other event type returns at the first switch, allocating nothing; a delivery on a known
 * topic from a known peer allocates nothing either. A record missing the topic a type needs (an
 * older or foreign writer) is passed over, never an error. The types above are control events (a
 * few per peer per minute), so this thread may allocate a key for each.
 *
 * <p>Threading: {@link #onJournaled} runs on one journal consumer thread; the readers are
 * thread-safe and see each change as soon as it is made. The state starts empty at every start, as
 * the node's meshes do.
 */
public final class LiveMeshState implements JournaledEventHandler, ProjectionTopicsView.MeshState {

  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> meshes = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> peerTopics = new ConcurrentHashMap<>();
  private final Map<String, Double> scores = new ConcurrentHashMap<>();
  private final LiveLatencies latencies = new LiveLatencies();
  private volatile MeshlogNotifications notifications;

  /**
   * Sends connection and mesh notifications through {@code notifications} from now on (the MBeans
   * are registered after the journal, which needs this handler, opens).
   */
  public void notifyTo(MeshlogNotifications notifications) {
    this.notifications = notifications;
  }

  @Override
  public void onJournaled(Event e, long journalIndex, boolean endOfBatch) {
    if (e.type() == null) {
      return;
    }
    switch (e.type()) {
      case JOIN:
        if (e.topic() != null) {
          subscribed.add(e.topic());
        }
        break;
      case LEAVE:
        if (e.topic() != null) {
          subscribed.remove(e.topic());
          meshes.remove(e.topic());
        }
        break;
      case GRAFT:
        if (e.topic() != null) {
          meshes.computeIfAbsent(e.topic(), t -> ConcurrentHashMap.newKeySet()).add(peer(e));
          notifyMesh(e, true);
        }
        break;
      case REORDER_APPLIED:
        notifyReorder(e);
        break;
      case PRUNE:
        Set<String> mesh = e.topic() == null ? null : meshes.get(e.topic());
        if (mesh != null) {
          mesh.remove(peer(e));
        }
        notifyMesh(e, false);
        break;
      case PEER_SUBSCRIBED:
        if (e.topic() != null) {
          peerTopics.computeIfAbsent(peer(e), p -> ConcurrentHashMap.newKeySet()).add(e.topic());
        }
        break;
      case PEER_UNSUBSCRIBED:
        Set<String> topics = e.topic() == null ? null : peerTopics.get(peer(e));
        if (topics != null) {
          topics.remove(e.topic());
        }
        break;
      case SCORE_SNAPSHOT:
        if (e.value() != Event.ABSENT) {
          scores.put(peer(e), e.value() / 1e6);
        }
        break;
      case REMOVE_PEER:
        forget(peer(e));
        latencies.forgetPeer(e.peer());
        break;
      case DELIVER_MESSAGE:
        latencies.record(e);
        break;
      case CONNECTION_OPENED:
      case CONNECTION_CLOSED:
        notifyConnection(e);
        break;
      default:
        break;
    }
  }

  private void forget(String peer) {
    peerTopics.remove(peer);
    scores.remove(peer);
    for (Set<String> mesh : meshes.values()) {
      mesh.remove(peer);
    }
  }

  private void notifyMesh(Event e, boolean graft) {
    MeshlogNotifications n = notifications;
    if (n == null || !n.active()) {
      return;
    }
    if (graft) {
      n.graft(peer(e), e.topic(), direction(e.direction()));
    } else {
      n.prune(peer(e), e.topic(), direction(e.direction()));
    }
  }

  private void notifyReorder(Event e) {
    MeshlogNotifications n = notifications;
    if (n == null || !n.active() || e.topic() == null || e.messageId() == null) {
      return;
    }
    n.reordered(
        e.topic(),
        java.util.HexFormat.of().formatHex(e.messageId()),
        e.epoch(),
        e.finalSeq(),
        e.oldPosition(),
        e.newPosition());
  }

  private void notifyConnection(Event e) {
    MeshlogNotifications n = notifications;
    if (n == null || !n.active() || e.peer() == null) {
      return;
    }
    if (e.type() == io.meshlog.eventlog.EventType.CONNECTION_OPENED) {
      n.peerConnected(peer(e), direction(e.direction()), e.text());
    } else {
      n.peerDisconnected(peer(e), e.text());
    }
  }

  private static String peer(Event e) {
    return e.peer() == null ? "" : Base58.encode(e.peer());
  }

  static String direction(Direction d) {
    switch (d) {
      case INBOUND:
        return "inbound";
      case OUTBOUND:
        return "outbound";
      default:
        return "";
    }
  }

  @Override
  public List<String> subscribed() {
    return List.copyOf(subscribed);
  }

  @Override
  public int meshPeers(String topic) {
    Set<String> mesh = meshes.get(topic);
    return mesh == null ? 0 : mesh.size();
  }

  /** The peers in this node's mesh for {@code topic} (base58 ids). */
  public List<String> mesh(String topic) {
    Set<String> mesh = meshes.get(topic);
    return mesh == null ? List.of() : List.copyOf(mesh);
  }

  /** Topics {@code peerId} (base58) subscribes to, sorted. */
  public List<String> topicsOf(String peerId) {
    Set<String> topics = peerTopics.get(peerId);
    if (topics == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(topics);
    out.sort(null);
    return out;
  }

  /** Delivery latencies per topic and per forwarding peer, as journaled since this start. */
  public LiveLatencies latencies() {
    return latencies;
  }

  /** The peer's last journaled gossip score, or 0 when none was journaled. */
  public double score(String peerId) {
    return scores.getOrDefault(peerId, 0.0);
  }
}
