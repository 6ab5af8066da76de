package io.meshlog.reconciliation;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a meshlog node puts in a gossip message's {@code data}: a small versioned header carrying
 * the ordering facts, followed by the application payload.
 *
 * <pre>
 *   offset size
 *   0      4    magic 'M' 'L' 'E' 'V'
 *   4      1    version (1)
 *   5      8    Lamport time, big-endian, &gt;= 0
 *   13     8    publish wall time, ns since the epoch, big-endian
 *   21     8    origin-local sequence, big-endian, &gt;= 0
 *   29     4    payload length n, big-endian, &gt;= 0
 *   33     n    payload
 * </pre>
 *
 * <p>The length is checked against the bytes present, so every envelope has exactly one decoding;
 * anything else — a js or go peer's plain data, a truncated or padded envelope, an unknown version
 * — decodes as {@link #plain(byte[])}: no Lamport time, the whole data as payload. Recognising
 * those instead of rejecting them is what lets meshlog share topics with nodes that know nothing of
 * it.
 *
 * @param lamport the Lamport time, or {@link #ABSENT} for plain data
 * @param publishTimeNanos wall time at the publisher, or {@link #ABSENT} for plain data
 * @param originSequence the publisher's sequence in the message's topic: 0, 1, 2, ... per (origin,
 *     topic), never reused across the publisher's restarts, so gaps are sequence arithmetic; or
 *     {@link #ABSENT}
 * @param payload the application bytes; held by reference
 */
public record MessageEnvelope(
    long lamport, long publishTimeNanos, long originSequence, byte[] payload) {

  /** Marks a field a plain (non-envelope) message does not have. */
  public static final long ABSENT = Long.MIN_VALUE;

  /** The only version written; readers treat other versions as plain data. */
  public static final byte VERSION = 1;

  /** Bytes before the payload. */
  public static final int HEADER_BYTES = 33;

  private static final byte[] MAGIC = {'M', 'L', 'E', 'V'};

  /**
   * @throws IllegalArgumentException when the payload is null, or a present lamport/sequence is
   *     negative
   */
  public MessageEnvelope {
    if (payload == null) {
      throw new IllegalArgumentException("payload is required");
    }
    if (lamport != ABSENT && lamport < 0) {
      throw new IllegalArgumentException("lamport must be >= 0, was " + lamport);
    }
    if (originSequence != ABSENT && originSequence < 0) {
      throw new IllegalArgumentException("originSequence must be >= 0, was " + originSequence);
    }
  }

  /** Data that carried no envelope: only a payload. */
  public static MessageEnvelope plain(byte[] data) {
    return new MessageEnvelope(ABSENT, ABSENT, ABSENT, data);
  }

  /** Whether this came from (or will be written as) a real envelope. */
  public boolean isEnveloped() {
    return lamport != ABSENT;
  }

  /**
   * The wire bytes.
   *
   * @throws IllegalStateException for a plain envelope (it has no header to write)
   */
  public byte[] encode() {
    if (!isEnveloped()) {
      throw new IllegalStateException("a plain message has no envelope to encode");
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    b.put(MAGIC).put(VERSION).putLong(lamport).putLong(publishTimeNanos);
    b.putLong(originSequence == ABSENT ? 0 : originSequence).putInt(payload.length).put(payload);
    return b.array();
  }

  /**
   * Decodes gossip data: an envelope when the header is well formed and the length matches exactly,
   * otherwise {@link #plain(byte[])} of the whole data. Never throws for any input but null.
   */
  public static MessageEnvelope decode(byte[] data) {
    if (!isEnvelope(data)) {
      return plain(data);
    }
    ByteBuffer b = ByteBuffer.wrap(data, MAGIC.length + 1, HEADER_BYTES - MAGIC.length - 1);
    long lamport = b.getLong();
    long publishTime = b.getLong();
    long sequence = b.getLong();
    return new MessageEnvelope(
        lamport, publishTime, sequence, Arrays.copyOfRange(data, HEADER_BYTES, data.length));
  }

  /** Whether {@code data} is a well-formed envelope of the version this code reads. */
  public static boolean isEnvelope(byte[] data) {
    if (data.length < HEADER_BYTES || data[4] != VERSION) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (data[i] != MAGIC[i]) {
        return false;
      }
    }
    return readLong(data, 5) >= 0
        && readLong(data, 21) >= 0
        && (int) readBytes(data, 29, 4) == data.length - HEADER_BYTES;
  }

  private static long readLong(byte[] data, int offset) {
    return readBytes(data, offset, 8);
  }

  private static long readBytes(byte[] data, int offset, int n) {
    long v = 0;
    for (int i = offset; i < offset + n; i++) {
      v = (v << 8) | (data[i] & 0xff);
    }
    return v;
  }

  /**
   * The Lamport time of {@code data} without copying the payload, or {@link #ABSENT}; for the
   * router thread, which must not allocate per message.
   */
  public static long lamportOf(byte[] data) {
    return data != null && isEnvelope(data) ? readLong(data, 5) : ABSENT;
  }

  /** The publish time of {@code data} without copying, or {@link #ABSENT}. */
  public static long publishTimeOf(byte[] data) {
    return data != null && isEnvelope(data) ? readLong(data, 13) : ABSENT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageEnvelope e
        && e.lamport == lamport
        && e.publishTimeNanos == publishTimeNanos
        && e.originSequence == originSequence
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(lamport) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "MessageEnvelope[lamport="
        + lamport
        + ", publishTimeNanos="
        + publishTimeNanos
        + ", originSequence="
        + originSequence
        + ", payload="
        + payload.length
        + " bytes]";
  }
}
