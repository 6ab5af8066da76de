package io.meshlog.eventlog;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link EventCodec#decode} on any bytes a damaged journal record can hold: it decodes, skips an
 * unknown type, or rejects with {@link IllegalArgumentException}; what it decodes is bounded by the
 * record, and encodes again. Seeds: real records ({@code EventCodecFuzzTestInputs/}).
 */
class EventCodecFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyRecordOrRejectItClearly(byte[] record) {
    fuzzerTestOneInput(record);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] record) {
    EventCodec codec = new EventCodec();
    Event e = new Event();
    boolean decoded;
    try {
      decoded = codec.decode(record, 0, record.length, e);
    } catch (IllegalArgumentException rejected) {
      return;
    }
    if (!decoded) {
      return;
    }
    long carried =
        len(e.peer()) + len(e.messageId()) + len(e.origin()) + len(e.data()) + textLen(e);
    if (carried > record.length) {
      throw new AssertionError(carried + " bytes decoded from a " + record.length + "-byte record");
    }
    int n = codec.encode(e);
    Event again = new Event();
    if (!codec.decode(codec.buffer(), 0, n, again)) {
      throw new AssertionError("a decoded event does not decode after encoding");
    }
  }

  private static long len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static long textLen(Event e) {
    return e.text() == null ? 0 : e.text().length() + (e.topic() == null ? 0 : e.topic().length());
  }
}
