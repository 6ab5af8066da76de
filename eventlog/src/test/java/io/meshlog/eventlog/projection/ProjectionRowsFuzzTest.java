package io.meshlog.eventlog.projection;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Rows read back from a damaged projection store: {@link PeerRow#decode} and {@link
 * TopicRow#decode} either decode or reject with {@link IllegalArgumentException}. The first input
 * byte picks the table, the next the key length; the rest is key, then value.
 */
class ProjectionRowsFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyRowOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Found by this target: a topic row cut short threw BufferUnderflowException. */
  @Test
  void shouldRejectATruncatedTopicRowAsMalformed() {
    assertThatThrownBy(() -> TopicRow.decode("lobby".getBytes(StandardCharsets.UTF_8), new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed topic row for lobby");
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length < 2) {
      return;
    }
    boolean topic = (input[0] & 1) != 0;
    int keyLength = Math.min(input[1] & 0xFF, input.length - 2);
    byte[] key = Arrays.copyOfRange(input, 2, 2 + keyLength);
    byte[] value = Arrays.copyOfRange(input, 2 + keyLength, input.length);
    try {
      if (topic) {
        TopicRow.decode(key, value);
      } else {
        PeerRow.decode(key, value);
      }
    } catch (IllegalArgumentException rejected) {
      // our rejection: the store reports the row as corrupt
    }
  }
}
