package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFormatTest {
  @TempDir Path tmp;

  private Path writeOneEvent() {
    Path dir = tmp.resolve("journal");
    try (Journal journal = Journals.open(JournalConfig.builder(dir).build(), List.of())) {
      journal.sink().publish(new Event().type(EventType.NODE_STARTED).text("test"));
      Await.until("one event", () -> journal.counter(JournalCounter.EVENTS_APPENDED) == 1);
    }
    return dir;
  }

  @Test
  void shouldRecordTheFormatInANewJournal() throws Exception {
    Path dir = writeOneEvent();
    assertThat(Files.readString(dir.resolve(JournalFormat.FILE), StandardCharsets.US_ASCII))
        .isEqualTo("meshlog journal format 1\n");
  }

  @Test
  void shouldRefuseAJournalOfANewerFormatNamingBothVersions() throws Exception {
    Path dir = writeOneEvent();
    Files.writeString(dir.resolve(JournalFormat.FILE), "meshlog journal format 7\n");
    assertThatThrownBy(() -> Journals.openReader(dir))
        .isInstanceOfSatisfying(
            JournalException.class,
            e -> assertThat(e.reason()).isEqualTo(JournalException.Reason.VERSION_UNSUPPORTED))
        .hasMessageContaining("journal format 7")
        .hasMessageContaining("formats up to 1")
        .hasMessageContaining(JournalFormat.FILE);
    assertThatThrownBy(() -> Journals.open(JournalConfig.builder(dir).build(), List.of()))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("journal format 7");
    assertThat(Files.readString(dir.resolve(JournalFormat.FILE))).contains("format 7");
  }

  @Test
  void shouldReadAJournalWrittenBeforeTheFormatWasRecordedAndRecordItOnTheNextWrite()
      throws Exception {
    Path dir = writeOneEvent();
    Files.delete(dir.resolve(JournalFormat.FILE));
    try (var reader = Journals.openReader(dir)) {
      assertThat(reader.next(new Event())).isNotNegative();
    }
    assertThat(dir.resolve(JournalFormat.FILE)).doesNotExist();
    Journals.open(JournalConfig.builder(dir).build(), List.of()).close();
    assertThat(dir.resolve(JournalFormat.FILE)).exists();
  }

  @Test
  void shouldCallAnUnreadableFormatFileCorrupt() throws Exception {
    Path dir = writeOneEvent();
    Files.writeString(dir.resolve(JournalFormat.FILE), "something else\n");
    assertThatThrownBy(() -> Journals.openReader(dir))
        .isInstanceOfSatisfying(
            JournalException.class,
            e -> assertThat(e.reason()).isEqualTo(JournalException.Reason.CORRUPT))
        .hasMessageContaining("something else");
  }
}
