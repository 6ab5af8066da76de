package io.meshlog.eventlog.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.projection.ProjectionException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProjectionRecoveryTest {

  @TempDir Path tmp;

  private final MemoryJournal journal = Events.randomJournal(21, 2000);
  private final ProjectionConfig config = ProjectionConfig.defaults();

  private List<PeerStats> buildLive(Path dir) {
    try (Projections p = Projections.open(dir, config)) {
      journal.feed(p, 0, journal.lastIndex(), 128);
      return p.peers();
    }
  }

  @Test
  void shouldRefuseNewerSchemaNamingTheDirectory() {
    Path dir = tmp.resolve("projections");
    buildLive(dir);
    try (ProjectionStore store = ProjectionStore.open(dir, config)) {
      ByteBuffer key = ByteBuffer.allocateDirect(16).put(ProjectionStore.SCHEMA_KEY).flip();
      ByteBuffer value =
          ByteBuffer.allocateDirect(4).putInt(ProjectionStore.SCHEMA_VERSION + 1).flip();
      store.put(Column.META, key, value);
      store.commit();
    }
    assertThatThrownBy(() -> Projections.openOrRebuild(dir, config, journal.reader()))
        .isInstanceOfSatisfying(
            ProjectionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_UNSUPPORTED))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("newer meshlog");
    assertThat(dir.resolve("CURRENT")).as("a newer store is left alone").exists();
  }

  @Test
  void shouldRebuildCorruptDirectoryFromJournal() throws IOException {
    Path dir = tmp.resolve("projections");
    List<PeerStats> live = buildLive(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith("MANIFEST") || name.equals("CURRENT")) {
          Files.write(f, new byte[] {1, 2, 3, 4, 5});
        }
      }
    }
    assertThatThrownBy(() -> Projections.open(dir, config))
        .isInstanceOfSatisfying(
            ProjectionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));

    try (Projections p = Projections.openOrRebuild(dir, config, journal.reader())) {
      assertThat(p.appliedIndex()).isEqualTo(journal.lastIndex());
      assertThat(p.peers()).isEqualTo(live);
    }
  }

  @Test
  void shouldRebuildDirectoryThatIsNotAStore() throws IOException {
    Path dir = tmp.resolve("projections");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "not a database");
    try (Projections p = Projections.openOrRebuild(dir, config, journal.reader())) {
      assertThat(p.appliedIndex()).isEqualTo(journal.lastIndex());
      assertThat(p.verify(journal.reader()).identical()).isTrue();
    }
  }

  @Test
  void shouldBuildMissingDirectoryFromJournal() {
    Path dir = tmp.resolve("data").resolve("projections");
    try (Projections p = Projections.openOrRebuild(dir, config, journal.reader())) {
      assertThat(p.appliedIndex()).isEqualTo(journal.lastIndex());
      assertThat(p.peers()).isNotEmpty();
    }
  }

  @Test
  void shouldNotTouchDirectoryHeldByAnotherOpener() {
    Path dir = tmp.resolve("projections");
    try (Projections held = Projections.open(dir, config)) {
      journal.feed(held, 0, 99, 10);
      assertThatThrownBy(() -> Projections.openOrRebuild(dir, config, journal.reader()))
          .isInstanceOfSatisfying(
              ProjectionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STORAGE));
      assertThatThrownBy(() -> Projections.rebuild(dir, config, journal.reader()))
          .isInstanceOfSatisfying(
              ProjectionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STORAGE));
      assertThat(held.appliedIndex()).isEqualTo(99);
      assertThat(held.peers()).isNotEmpty();
    }
  }

  @Test
  void shouldReadAndVerifyWhileAnotherOpenerWrites() {
    Path dir = tmp.resolve("projections");
    try (Projections writer = Projections.open(dir, config)) {
      journal.feed(writer, 0, 999, 100);
      try (Projections reader = Projections.openReadOnly(dir)) {
        assertThat(reader.appliedIndex()).isEqualTo(999);
        assertThat(reader.peers()).isEqualTo(writer.peers());
        assertThatThrownBy(() -> reader.catchUp(journal.reader()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("read-only");
      }
      assertThat(Projections.verify(dir, config, journal.reader()).identical()).isTrue();
    }
  }

  @Test
  void shouldNameTheBadKeyInConfig() {
    assertThatThrownBy(() -> ProjectionConfig.defaults().withWriteBufferSize(10).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid projections.writeBufferSize = 10");
    assertThatThrownBy(() -> ProjectionConfig.defaults().withSyncMode(null).validate())
        .hasMessageStartingWith("invalid projections.syncMode = null");
    assertThatThrownBy(() -> ProjectionConfig.defaults().withCatchUpBatchEvents(0).validate())
        .hasMessageStartingWith("invalid projections.catchUpBatchEvents = 0");
    assertThatThrownBy(
            () -> ProjectionConfig.fromProperties(Map.of("projections.syncMode", "sometimes")))
        .hasMessageStartingWith("invalid projections.syncMode = sometimes");
    assertThat(
            ProjectionConfig.fromProperties(
                Map.of(
                    "projections.writeBufferSize", "16m", "projections.syncMode", "every-batch")))
        .isEqualTo(
            ProjectionConfig.defaults()
                .withWriteBufferSize(16L << 20)
                .withSyncMode(ProjectionConfig.SyncMode.EVERY_BATCH));
  }
}
