package io.meshlog.bench.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry size benchmark runs at a small size and checks itself. */
@Timeout(120)
class RegistrySizeBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void shouldStoreEveryPeerAndLoadBackTheRegistryItFolded() {
    RegistrySizeBenchmark.Result r = RegistrySizeBenchmark.run(tmp, 300);

    assertThat(r.identical()).isTrue();
    assertThat(r.peers()).isEqualTo(300);
    // Per peer: one PEER_ADDRESS_LEARNED, 1..3 connections opened and closed, 0..3 failed dials.
    long events = 0;
    for (int i = 0; i < 300; i++) {
      events += 1 + 2 * (i % 3 + 1) + i % 4;
    }
    assertThat(r.events()).isEqualTo(events);
    // key 1 + 38-byte peer id; value 46 fixed + two 8-byte IPv4/TCP addresses of 3 + 8
    assertThat(r.encodedBytes()).isEqualTo(300L * (39 + 46 + 2 * 11));
    assertThat(r.tableBytes()).isPositive().isLessThan(r.flushedBytes());
  }
}
