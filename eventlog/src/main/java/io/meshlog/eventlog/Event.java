package io.meshlog.eventlog;

import java.nio.charset.StandardCharsets;

/**
 * One P2P event: a mutable carrier that producers fill, ring slots hold, and readers decode into.
 *
 * <p>Every record has a type, the schema version it was written with, a wall-clock time in
 * nanoseconds since the epoch, and the node's own monotonic sequence (assigned by the journal). The
 * other fields are optional; which of them a type fills is in {@link EventType#description()}.
 * Absent fields cost nothing on disk.
 *
 * <p>Byte-array fields are held by reference. Whoever sets one hands over the array and must not
 * change it afterwards; a reader that decodes into a reused {@code Event} may reuse arrays between
 * records, so consumers copy what they keep.
 *
 * <p>Not thread-safe: owned by one thread at a time.
 */
public final class Event {

  /**
   * How many message ids one RPC record lists at most ({@link #addRpcId}); further ids are only
   * counted ({@link #rpcCount(RpcPart)}).
   */
  public static final int MAX_RPC_IDS = 64;

  /**
   * Value of {@link #originSeqno()}, {@link #lamport()}, {@link #value()}, {@link #epoch()}, {@link
   * #finalSeq()}, {@link #oldPosition()} and {@link #newPosition()} when not set.
   */
  public static final long ABSENT = Long.MIN_VALUE;

  private EventType type;
  private int schemaVersion;
  private long timeNanos;
  private long sequence = ABSENT;
  private byte[] peer;
  private String topic;
  private byte[] messageId;
  private byte[] origin;
  private long originSeqno = ABSENT;
  private long lamport = ABSENT;
  private int size = -1;
  private Direction direction = Direction.NONE;
  private Via via = Via.UNKNOWN;
  private long value = ABSENT;
  private String text;
  private byte[] data;
  // Schema version 3: the sequencer's final position and a reorder's row numbers.
  private long epoch = ABSENT;
  private long finalSeq = ABSENT;
  private long oldPosition = ABSENT;
  private long newPosition = ABSENT;
  // RPC parts: counts (valid when hasRpcCounts) and listed ids, packed in reused arrays.
  private boolean hasRpcCounts;
  private final int[] rpcCounts = new int[RpcPart.COUNT];
  private int rpcIds;
  private byte[] rpcIdParts = new byte[0];
  private int[] rpcIdEnds = new int[0];
  private byte[] rpcIdBytes = new byte[0];

  /** Clears every field, so a reused instance carries nothing from the last event. */
  public Event clear() {
    type = null;
    schemaVersion = 0;
    timeNanos = 0;
    sequence = ABSENT;
    peer = null;
    topic = null;
    messageId = null;
    origin = null;
    originSeqno = ABSENT;
    lamport = ABSENT;
    size = -1;
    direction = Direction.NONE;
    via = Via.UNKNOWN;
    value = ABSENT;
    text = null;
    data = null;
    epoch = ABSENT;
    finalSeq = ABSENT;
    oldPosition = ABSENT;
    newPosition = ABSENT;
    clearRpc();
    return this;
  }

  /** Clears the RPC counts and ids (the arrays that hold them are kept for reuse). */
  public Event clearRpc() {
    hasRpcCounts = false;
    java.util.Arrays.fill(rpcCounts, 0);
    rpcIds = 0;
    return this;
  }

  /** Copies every field of {@code other} into this one (references, not array contents). */
  public Event copyFrom(Event other) {
    type = other.type;
    schemaVersion = other.schemaVersion;
    timeNanos = other.timeNanos;
    sequence = other.sequence;
    peer = other.peer;
    topic = other.topic;
    messageId = other.messageId;
    origin = other.origin;
    originSeqno = other.originSeqno;
    lamport = other.lamport;
    size = other.size;
    direction = other.direction;
    via = other.via;
    value = other.value;
    text = other.text;
    data = other.data;
    epoch = other.epoch;
    finalSeq = other.finalSeq;
    oldPosition = other.oldPosition;
    newPosition = other.newPosition;
    // RPC ids are copied, not shared: producers refill their event's ids for the next RPC.
    hasRpcCounts = other.hasRpcCounts;
    System.arraycopy(other.rpcCounts, 0, rpcCounts, 0, RpcPart.COUNT);
    rpcIds = 0;
    for (int i = 0; i < other.rpcIds; i++) {
      int from = i == 0 ? 0 : other.rpcIdEnds[i - 1];
      appendRpcId(other.rpcIdParts[i], other.rpcIdBytes, from, other.rpcIdEnds[i] - from);
    }
    return this;
  }

  public EventType type() {
    return type;
  }

  public Event type(EventType type) {
    this.type = type;
    return this;
  }

  /** The schema version the record was written with; 0 on an event not yet journaled. */
  public int schemaVersion() {
    return schemaVersion;
  }

  public Event schemaVersion(int schemaVersion) {
    this.schemaVersion = schemaVersion;
    return this;
  }

  /** Wall-clock time in nanoseconds since the epoch; 0 means "stamp it when published". */
  public long timeNanos() {
    return timeNanos;
  }

  public Event timeNanos(long timeNanos) {
    this.timeNanos = timeNanos;
    return this;
  }

  /** The node's own monotonic sequence number, assigned by the journal; {@link #ABSENT} before. */
  public long sequence() {
    return sequence;
  }

  public Event sequence(long sequence) {
    this.sequence = sequence;
    return this;
  }

  /** The remote peer's id in binary (multihash) form, or null. */
  public byte[] peer() {
    return peer;
  }

  public Event peer(byte[] peer) {
    this.peer = peer;
    return this;
  }

  public String topic() {
    return topic;
  }

  public Event topic(String topic) {
    this.topic = topic;
    return this;
  }

  public byte[] messageId() {
    return messageId;
  }

  public Event messageId(byte[] messageId) {
    this.messageId = messageId;
    return this;
  }

  /** The peer id (binary) of the message's original publisher, or null. */
  public byte[] origin() {
    return origin;
  }

  public Event origin(byte[] origin) {
    this.origin = origin;
    return this;
  }

  public long originSeqno() {
    return originSeqno;
  }

  public Event originSeqno(long originSeqno) {
    this.originSeqno = originSeqno;
    return this;
  }

  public long lamport() {
    return lamport;
  }

  public Event lamport(long lamport) {
    this.lamport = lamport;
    return this;
  }

  /** A size in bytes (RPC or message size), or -1. */
  public int size() {
    return size;
  }

  public Event size(int size) {
    this.size = size;
    return this;
  }

  public Direction direction() {
    return direction;
  }

  public Event direction(Direction direction) {
    this.direction = direction == null ? Direction.NONE : direction;
    return this;
  }

  /**
   * How a DELIVER_MESSAGE's message reached this node; {@link Via#UNKNOWN} when not recorded
   * (always so on records before schema version 2). The forwarding peer is {@link #peer()}.
   */
  public Via via() {
    return via;
  }

  public Event via(Via via) {
    this.via = via == null ? Via.UNKNOWN : via;
    return this;
  }

  /** A type-specific number (RTT ns, score x 1e6, sequence number...), or {@link #ABSENT}. */
  public long value() {
    return value;
  }

  public Event value(long value) {
    this.value = value;
    return this;
  }

  /** A type-specific text (reason, remote address...), or null. */
  public String text() {
    return text;
  }

  public Event text(String text) {
    this.text = text;
    return this;
  }

  /** The message bytes, or null. */
  public byte[] data() {
    return data;
  }

  public Event data(byte[] data) {
    this.data = data;
    return this;
  }

  /**
   * The sequencer epoch of a final position (SEQUENCE_ASSIGNED, REORDER_APPLIED), or {@link
   * #ABSENT}; always absent on records before schema version 3.
   */
  public long epoch() {
    return epoch;
  }

  public Event epoch(long epoch) {
    this.epoch = epoch;
    return this;
  }

  /**
   * The final per-topic sequence number the sequencer assigned (it keeps increasing across epochs),
   * or {@link #ABSENT}. Not the node's own {@link #sequence()}.
   */
  public long finalSeq() {
    return finalSeq;
  }

  public Event finalSeq(long finalSeq) {
    this.finalSeq = finalSeq;
    return this;
  }

  /**
   * A REORDER_APPLIED's row number of the message in the node's topic order before the change
   * (0-based, final rows first, then provisional ones), or {@link #ABSENT}.
   */
  public long oldPosition() {
    return oldPosition;
  }

  public Event oldPosition(long oldPosition) {
    this.oldPosition = oldPosition;
    return this;
  }

  /** A REORDER_APPLIED's row number after the change, or {@link #ABSENT}. */
  public long newPosition() {
    return newPosition;
  }

  public Event newPosition(long newPosition) {
    this.newPosition = newPosition;
    return this;
  }

  /** True when this is an RPC record with part counts (schema version 2 and later). */
  public boolean hasRpcCounts() {
    return hasRpcCounts;
  }

  /** How many of {@code part} the RPC held; 0 when {@link #hasRpcCounts()} is false. */
  public int rpcCount(RpcPart part) {
    return rpcCounts[part.code()];
  }

  /** Sets the count of {@code part} (negative counts are stored as 0). */
  public Event rpcCount(RpcPart part, int count) {
    hasRpcCounts = true;
    rpcCounts[part.code()] = Math.max(0, count);
    return this;
  }

  /**
   * Lists one message id of the RPC (publish, IHAVE or IWANT), in the order the RPC holds them. The
   * id's bytes are copied. Beyond {@link #MAX_RPC_IDS} ids the call does nothing.
   *
   * @return true when listed, false when the list is full
   */
  public boolean addRpcId(RpcPart part, byte[] id) {
    if (rpcIds >= MAX_RPC_IDS) {
      return false;
    }
    appendRpcId((byte) part.code(), id, 0, id.length);
    return true;
  }

  /** Used by decoders: lists an id read in place; {@code part} is the on-disk code. */
  void appendRpcId(byte part, byte[] src, int offset, int length) {
    int start = rpcIds == 0 ? 0 : rpcIdEnds[rpcIds - 1];
    if (rpcIds == rpcIdEnds.length) {
      int n = Math.max(4, rpcIds * 2);
      rpcIdEnds = java.util.Arrays.copyOf(rpcIdEnds, n);
      rpcIdParts = java.util.Arrays.copyOf(rpcIdParts, n);
    }
    if (start + length > rpcIdBytes.length) {
      rpcIdBytes = java.util.Arrays.copyOf(rpcIdBytes, Math.max(start + length, 2 * start + 64));
    }
    System.arraycopy(src, offset, rpcIdBytes, start, length);
    rpcIdParts[rpcIds] = part;
    rpcIdEnds[rpcIds] = start + length;
    rpcIds++;
  }

  /** How many message ids the record lists (at most {@link #MAX_RPC_IDS}). */
  public int rpcIdCount() {
    return rpcIds;
  }

  /** The part the {@code i}-th listed id belongs to; null for a part this version does not know. */
  public RpcPart rpcIdPart(int i) {
    checkRpcId(i);
    return RpcPart.ofCode(rpcIdParts[i]);
  }

  /** A copy of the {@code i}-th listed message id. */
  public byte[] rpcId(int i) {
    checkRpcId(i);
    int from = i == 0 ? 0 : rpcIdEnds[i - 1];
    return java.util.Arrays.copyOfRange(rpcIdBytes, from, rpcIdEnds[i]);
  }

  int rpcIdPartCode(int i) {
    return rpcIdParts[i];
  }

  int rpcIdStart(int i) {
    return i == 0 ? 0 : rpcIdEnds[i - 1];
  }

  int rpcIdEnd(int i) {
    return rpcIdEnds[i];
  }

  byte[] rpcIdBytes() {
    return rpcIdBytes;
  }

  private void checkRpcId(int i) {
    if (i < 0 || i >= rpcIds) {
      throw new IndexOutOfBoundsException("rpc id " + i + " of " + rpcIds);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(128).append(type);
    if (sequence != ABSENT) {
      sb.append(" seq=").append(sequence);
    }
    sb.append(" t=").append(timeNanos);
    if (topic != null) {
      sb.append(" topic=").append(topic);
    }
    if (direction != Direction.NONE) {
      sb.append(' ').append(direction);
    }
    if (via != Via.UNKNOWN) {
      sb.append(" via=").append(via.label());
    }
    if (epoch != ABSENT) {
      sb.append(" epoch=").append(epoch);
    }
    if (finalSeq != ABSENT) {
      sb.append(" finalSeq=").append(finalSeq);
    }
    if (oldPosition != ABSENT || newPosition != ABSENT) {
      sb.append(" position=").append(oldPosition).append("->").append(newPosition);
    }
    if (text != null) {
      sb.append(" text=").append(text);
    }
    if (hasRpcCounts) {
      for (RpcPart part : RpcPart.values()) {
        if (rpcCounts[part.code()] > 0) {
          sb.append(' ').append(part.label()).append('=').append(rpcCounts[part.code()]);
        }
      }
    }
    if (data != null) {
      sb.append(" data=")
          .append(new String(data, 0, Math.min(data.length, 32), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
