package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;

/**
 * Reads the origin sequence out of message data that is a meshlog envelope, for the origin sequence
 * index. The envelope's layout is defined by {@code io.meshlog.reconciliation.MessageEnvelope} (a
 * module above this one); this reads only the fields it needs and applies the same well-formedness
 * check, and {@code MessageEnvelopeTest} checks that both agree on every envelope. Stateless.
 */
public final class EnvelopeSequence {

  private static final int HEADER_BYTES = 33;

  private EnvelopeSequence() {}

  /**
   * The origin sequence of {@code data}, or {@link Event#ABSENT} when it is not a version 1
   * envelope whose length matches exactly.
   */
  public static long of(byte[] data) {
    if (data == null
        || data.length < HEADER_BYTES
        || data[0] != 'M'
        || data[1] != 'L'
        || data[2] != 'E'
        || data[3] != 'V'
        || data[4] != 1) {
      return Event.ABSENT;
    }
    long lamport = read(data, 5, 8);
    long sequence = read(data, 21, 8);
    long length = read(data, 29, 4);
    if (lamport < 0 || sequence < 0 || length != data.length - HEADER_BYTES) {
      return Event.ABSENT;
    }
    return sequence;
  }

  private static long read(byte[] data, int offset, int n) {
    long v = 0;
    for (int i = offset; i < offset + n; i++) {
      v = (v << 8) | (data[i] & 0xff);
    }
    return n == 4 ? (int) v : v;
  }
}
