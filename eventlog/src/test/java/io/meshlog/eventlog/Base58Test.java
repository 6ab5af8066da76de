package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {

  @Test
  void shouldMatchKnownVectors() {
    assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("2NEpo7TZRRrLZSi2U");
    assertThat(Base58.encode(new byte[] {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd}))
        .isEqualTo("11233QC4");
    assertThat(Base58.decode("11233QC4")).containsExactly(0, 0, 0x28, 0x7f, 0xb4, 0xcd);
  }

  @Test
  void shouldRoundTripRandomBytesIncludingLeadingZeros() {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      if (bytes.length > 2 && i % 3 == 0) {
        bytes[0] = 0;
        bytes[1] = 0;
      }
      assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
    }
  }

  @Test
  void shouldRejectCharactersOutsideTheAlphabet() {
    assertThatThrownBy(() -> Base58.decode("12D3Koo0")).hasMessageContaining("'0' at 7");
  }
}
