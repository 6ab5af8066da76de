package io.meshlog.eventlog.projection;

/**
 * The RocksDB column families of the projection store. The id is the on-disk identity (the column
 * family is named by its decimal id), so a column may be renamed here but an id is never reused.
 * Retired ids stay below as comments.
 *
 * <pre>
 *  id  column        key                                              value
 *  --  ------------  -----------------------------------------------  -------------------------
 *   1  META          "schema" | "applied" | "sequence"                int32 | int64 | int64
 *   2  PEER_STATS    peer id (binary multihash)                       PeerRow, fixed 12 x int64
 *   3  TOPIC_STATS   topic (UTF-8)                                    TopicRow (fixed + sparse)
 *   4  ORDERING      u16 len, topic, lamport, u8 len, origin, seqno   journal index int64
 *   5  MESSAGE_IDS   message id                                       journal index int64
 *   6  FINAL_ORDER   u16 len, topic, seq                              epoch int64, message id
 *   7  FINAL_IDS     message id                                       epoch int64, seq int64
 *   8  ORIGIN_SEQS   u16 len, topic, u8 len, origin, envelope seq     journal index int64
 *   9  SIGNATURES    message id                                       journal index int64
 *  10  PEER_REGISTRY opaque to this module (the node's peer registry)    opaque (KeptRows)
 * </pre>
 *
 * <p>FINAL_ORDER and FINAL_IDS hold the sequencer's final order (docs/reconciliation.md).
 * ORIGIN_SEQS holds the publisher's own per-topic sequence from the meshlog envelope (not the
 * gossip seqno) of every PUBLISH_MESSAGE and DELIVER_MESSAGE; SIGNATURES points at the
 * MESSAGE_SIGNATURE record of a message. Together they let the sync server rebuild the original
 * signed message from the journal.
 *
 * <p>PEER_REGISTRY is {@linkplain #kept() kept} state, not a view: its owner writes it with its own
 * checkpoint ({@link KeptRows}), a rebuild carries its rows over unchanged and {@code verify} does
 * not compare it, because it remembers what journal retention has deleted.
 *
 * <p>RocksDB's mandatory {@code default} column family is kept empty.
 */
enum Column {
  META(1),
  PEER_STATS(2),
  TOPIC_STATS(3),
  ORDERING(4),
  MESSAGE_IDS(5),
  FINAL_ORDER(6),
  FINAL_IDS(7),
  ORIGIN_SEQS(8),
  SIGNATURES(9),
  PEER_REGISTRY(10);
  // Retired ids: none yet.

  private final int id;

  Column(int id) {
    this.id = id;
  }

  int id() {
    return id;
  }

  /** Whether this column is state a rebuild keeps rather than recreates. */
  boolean kept() {
    return this == PEER_REGISTRY;
  }

  /** The column family name on disk. */
  String familyName() {
    return Integer.toString(id);
  }
}
