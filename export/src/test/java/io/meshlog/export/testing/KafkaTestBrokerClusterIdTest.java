package io.meshlog.export.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The test broker's storage format must never fail on its own cluster id: an id that begins with
 * {@code -} is read as an option by the storage tool, and a test that starts a broker failed one
 * run in 64 that way.
 */
class KafkaTestBrokerClusterIdTest {

  @Test
  void shouldNeverDrawAClusterIdThatBeginsWithADash() {
    for (int i = 0; i < 20_000; i++) {
      String id = KafkaTestBroker.clusterId();
      assertFalse(id.startsWith("-"), id);
      assertEquals(16, Base64.getUrlDecoder().decode(id).length, id);
    }
  }
}
