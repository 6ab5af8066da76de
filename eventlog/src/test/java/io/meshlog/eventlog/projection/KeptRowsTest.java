package io.meshlog.eventlog.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer registry's kept column in a real RocksDB store: written atomically beside the views,
 * carried over unchanged by a rebuild, never compared by verify, read-only in a read-only view.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeptRowsTest {

  @TempDir Path tmp;

  private final MemoryJournal journal = Events.randomJournal(3, 500);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<String> rows(KeptRows rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(
        (k, v) ->
            out.add(
                new String(k, StandardCharsets.US_ASCII)
                    + "="
                    + new String(v, StandardCharsets.US_ASCII)));
    return out;
  }

  private Path storeWithRows() {
    Path dir = tmp.resolve("projections");
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      journal.feed(p, 0, journal.lastIndex(), 50);
      p.peerRegistry()
          .write(
              List.of(
                  new byte[][] {bytes("a"), bytes("1")},
                  new byte[][] {bytes("b"), bytes("2")},
                  new byte[][] {bytes("c"), bytes("3")}),
              List.of());
      p.peerRegistry()
          .write(List.<byte[][]>of(new byte[][] {bytes("b"), bytes("4")}), List.of(bytes("c")));
    }
    return dir;
  }

  @Test
  void shouldWritePutsAndDeletesTogetherAndReadThemBackInKeyOrder() {
    try (Projections p = Projections.openReadOnly(storeWithRows())) {
      assertThat(rows(p.peerRegistry())).containsExactly("a=1", "b=4");
      assertThatThrownBy(() -> p.peerRegistry().write(List.of(), List.of()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void shouldCarryTheRowsOverARebuildThatRecreatesTheViews() {
    Path dir = storeWithRows();
    List<PeerStats> live;
    try (Projections p = Projections.openReadOnly(dir)) {
      live = p.peers();
    }

    assertThat(Projections.rebuild(dir, ProjectionConfig.defaults(), journal.reader()))
        .isEqualTo(journal.lastIndex());

    try (Projections p = Projections.openReadOnly(dir)) {
      assertThat(rows(p.peerRegistry())).containsExactly("a=1", "b=4");
      assertThat(p.peers()).isEqualTo(live);
    }
  }

  @Test
  void shouldVerifyTheViewsAndLeaveTheRowsAlone() {
    Path dir = storeWithRows();

    VerifyReport report = Projections.verify(dir, ProjectionConfig.defaults(), journal.reader());

    assertThat(report.identical()).as(String.valueOf(report.firstDifference())).isTrue();
    try (Projections p = Projections.openReadOnly(dir)) {
      assertThat(rows(p.peerRegistry())).containsExactly("a=1", "b=4");
    }
  }
}
