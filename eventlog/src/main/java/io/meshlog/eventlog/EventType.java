package io.meshlog.eventlog;

/**
 * Every kind of record the journal holds. Codes are part of the on-disk format: they are fixed,
 * never reused, and a retired type stays here as a comment. Readers skip codes they do not know.
 *
 * <p>The gossip types follow go-libp2p-pubsub's tracer; the others cover what a node sees below
 * gossip (connections, identify, ping, hostile input) and above it (directory, sequencing, sync).
 */
public enum EventType {
  // --- the node itself
  NODE_STARTED(1, "node process started; text = agent version, peer = own peer id"),
  NODE_STOPPED(2, "node process stopped cleanly; text = reason"),
  EVENTS_NOT_JOURNALED(
      3,
      "events that reached the journal while its disk was full, counted and not written; value ="
          + " how many, time = the first one's, text = reason and the last one's time"),
  JOURNAL_CYCLE(
      4,
      "written by the journal after the first record of each new cycle file: whose journal it is"
          + " and what the node was subscribed to, restated because retention deletes old cycle"
          + " files; peer = own peer id, text = agent version, data = topics joined and their mesh"
          + " peers (JournalCycle)"),

  // --- connections and the protocols below gossip
  CONNECTION_OPENED(10, "connection established; peer, direction, text = remote multiaddr"),
  CONNECTION_CLOSED(11, "connection closed; peer, direction, text = reason"),
  CONNECTION_FAILED(
      12, "dial or handshake failed; peer if known, direction, text = address and reason"),
  IDENTIFY_RECEIVED(
      13, "identify result from a peer; text = agent and protocols, data = raw identify"),
  PING_RTT(14, "ping round trip; peer, value = RTT in nanoseconds"),
  INPUT_REJECTED(
      15,
      "malformed or oversized input from a peer; stream or connection closed; text = layer and reason"),

  // --- gossipsub (tracer events)
  PUBLISH_MESSAGE(
      20, "this node published a message; topic, messageId, origin, originSeqno, lamport, data"),
  DELIVER_MESSAGE(
      21,
      "first valid delivery of a message; peer = forwarder, via = how it came, topic, messageId, origin, originSeqno, lamport, data, value = publish time ns if the envelope carries it"),
  DUPLICATE_MESSAGE(22, "a message already seen arrived again; peer = forwarder, topic, messageId"),
  REJECT_MESSAGE(23, "a message failed validation; peer, topic, messageId, text = reason"),
  ADD_PEER(24, "a peer opened a gossip stream; peer, text = protocol"),
  REMOVE_PEER(25, "a peer's gossip stream went away; peer"),
  RECV_RPC(
      26,
      "gossip RPC received; peer, size, part counts and message ids (text = reason when not decoded)"),
  SEND_RPC(27, "gossip RPC sent; peer, size, part counts and message ids"),
  DROP_RPC(28, "gossip RPC dropped (queue full); peer, size, part counts and message ids"),
  JOIN(29, "this node joined a topic; topic"),
  LEAVE(30, "this node left a topic; topic"),
  GRAFT(31, "peer added to a topic mesh; peer, topic, direction = who asked"),
  PRUNE(32, "peer removed from a topic mesh; peer, topic, direction = who asked, text = reason"),
  PEER_SUBSCRIBED(33, "remote peer subscribed to a topic; peer, topic"),
  PEER_UNSUBSCRIBED(34, "remote peer unsubscribed from a topic; peer, topic"),
  SCORE_SNAPSHOT(
      35, "periodic gossip score of a peer; peer, value = score x 1e6, text = components"),
  UNDELIVERABLE_MESSAGE(
      36, "a message could not be delivered locally; topic, messageId, text = reason"),

  // --- ordering and reconciliation
  DIRECTORY_UP(50, "the directory (sequencer) became reachable; peer = directory"),
  DIRECTORY_DOWN(51, "the directory (sequencer) became unreachable; peer = directory"),
  SEQUENCE_ASSIGNED(
      52,
      "final per-topic position assigned (the sequencer) or learned from a verified confirmation (a node); topic, messageId, epoch, finalSeq, origin, originSeqno, lamport when known, peer = directory on a node"),
  REORDER_APPLIED(
      53,
      "a message's row in this node's topic order moved when its final position was applied; topic, messageId, epoch, finalSeq, oldPosition, newPosition (0-based rows, final rows first), lamport, origin, originSeqno = its provisional key"),
  GAP_SYNC_REQUESTED(
      54,
      "missing sequence numbers requested from a peer; peer, topic, value = first missing, size = how many (to the end of the range), text = by-origin (with origin: envelope sequences) or by-range (final seqs)"),
  GAP_SYNC_FILLED(
      55,
      "a missing message was fetched and verified (its DELIVER_MESSAGE with via = sync comes just before); peer = source, topic, messageId, origin, text = by-origin (value = envelope sequence) or by-range (value = final seq, epoch, as the source listed them)"),

  // --- gap sync (codes 120-139)
  MESSAGE_SIGNATURE(
      120,
      "the author fields of a message just published or delivered, for serving it by sync; topic, messageId, origin, originSeqno, data = u16 signature length, signature, public key protobuf (may be empty)"),
  MESSAGE_PENDING(
      121,
      "a message published while no peer was connected, kept to send later; topic, origin = this node, lamport, originSeqno = envelope sequence, data = envelope bytes"),
  MESSAGE_PENDING_SENT(
      122,
      "a pending message was handed to gossip; topic, messageId, originSeqno = envelope sequence, text = failure when it could not be"),
  GAP_SYNC_REFUSED(
      123,
      "a sync answer was refused (forged, wrong or unsupported); peer = source, topic, messageId if known, text = reason"),

  // --- the sequencer (a directory's side)
  SEQUENCER_STARTED(
      100,
      "this node started sequencing; epoch = its new epoch (above every journaled one), value = assignments restored from the journal"),
  SEQUENCER_REACHABLE(
      101,
      "a configured directory answers as sequencer (it is subscribed to the confirm topic); peer = directory, value = unconfirmed messages submitted now"),
  SEQUENCER_UNREACHABLE(
      102,
      "no configured directory answers as sequencer any more: new messages stay provisional; peer = the directory last reachable"),

  // --- discovery (rendezvous): the directory's side
  DIRECTORY_REGISTERED(
      70,
      "directory accepted a registration; peer, topic = namespace, value = TTL granted in seconds, originSeqno = registration number, data = signed peer record, text = new|refresh"),
  DIRECTORY_UNREGISTERED(
      71,
      "directory dropped a registration; peer, topic = namespace, text = unregister|expired|operator"),
  DIRECTORY_REFUSED(
      72,
      "directory refused a REGISTER or DISCOVER; peer, topic = namespace, value = rendezvous status code, text = request and reason"),
  DIRECTORY_DISCOVER_ANSWERED(
      73,
      "directory answered a DISCOVER; peer, topic = namespace (absent = all), value = registrations returned"),

  // --- discovery (rendezvous): a peer's side
  REGISTRATION_SENT(
      74,
      "this node sent REGISTER to a directory; peer = directory, topic, value = TTL asked in seconds, text = reason"),
  REGISTRATION_ANSWERED(
      75,
      "a directory answered this node's REGISTER; peer = directory, topic, value = status code, text = status, TTL granted or failure"),
  DISCOVER_RESULT(
      76,
      "a directory answered this node's DISCOVER; peer = directory, topic, value = registrations, text = reason and peers dialled, or failure"),
  UNREGISTER_SENT(
      77, "this node sent UNREGISTER to a directory; peer = directory, topic, text = reason"),

  // --- the connection lifecycle: one connection per pair, redials, the peer registry (140-159)
  CONNECTION_DUPLICATE(
      140,
      "a second connection to a peer lost the one-per-pair rule and was closed; peer, direction"
          + " of the closed one, text = which was kept and why"),
  PEER_ADDRESS_LEARNED(
      141,
      "the peer registry learned addresses of a peer; peer, text = source and addresses"
          + " (space-separated)"),
  DIAL_ATTEMPT(142, "this node dials a peer; peer, text = address and reason"),
  DIAL_FAILED(143, "a dial of a peer failed; peer, value = failure streak, text = address and why"),
  DIAL_BACKOFF(
      144, "the next dial of a peer is scheduled; peer, value = delay in ms, text = reason"),
  PEER_REPLACEMENT(
      145,
      "a peer is dialled to replace a lost mesh peer; peer = replacement, topic, text = whom it"
          + " replaces and where it came from");

  private static final EventType[] BY_CODE = new EventType[256];

  static {
    for (EventType type : values()) {
      if (BY_CODE[type.code] != null) {
        throw new ExceptionInInitializerError("duplicate event type code " + type.code);
      }
      BY_CODE[type.code] = type;
    }
  }

  private final int code;
  private final String description;

  EventType(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The stable on-disk code, 1..255. */
  public int code() {
    return code;
  }

  /** One line saying what the record means and which fields it fills. */
  public String description() {
    return description;
  }

  /** The type with this code, or {@code null} when the code is unknown (a newer writer's type). */
  public static EventType ofCode(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
