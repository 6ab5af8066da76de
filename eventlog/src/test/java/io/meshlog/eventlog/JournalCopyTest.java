package io.meshlog.eventlog;

import static io.meshlog.eventlog.JournalFilesTest.writeAcrossCycles;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records copied out of a journal and laid down again keep their bytes and their indexes. */
@Timeout(60)
class JournalCopyTest {
  @TempDir Path tmp;

  record Rec(long index, byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Rec r && r.index == index && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(index) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return index + ":" + bytes.length;
    }
  }

  static List<Rec> records(Path dir) {
    List<Rec> out = new ArrayList<>();
    try (JournalCopy.Source s = Journals.openCopySource(dir)) {
      long i;
      while ((i = s.next()) >= 0) {
        out.add(new Rec(i, Arrays.copyOf(s.buffer(), s.length())));
      }
    }
    return out;
  }

  @Test
  void shouldKeepIndexesAcrossCyclesAndUnknownRecords() throws Exception {
    Path from = tmp.resolve("from");
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(from)
                .ringSize(1024)
                .preallocateBytes(0)
                .rollCycle(JournalConfig.RollCycle.TEST_SECONDLY)
                .build(),
            List.of())) {
      writeAcrossCycles(journal, 3, 4);
    }
    // A record of a type this version does not know: copied all the same.
    TestRecords.appendRaw(from, new byte[] {(byte) 250, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    List<Rec> source = records(from);
    assertThat(source).hasSize(13);

    Path to = tmp.resolve("to");
    JournalConfig.RollCycle rollCycle;
    try (JournalCopy.Source s = Journals.openCopySource(from)) {
      rollCycle = s.rollCycle();
    }
    assertThat(rollCycle).isEqualTo(JournalConfig.RollCycle.TEST_SECONDLY);
    try (JournalCopy.Target t = Journals.openCopyTarget(to, rollCycle)) {
      for (Rec r : source) {
        assertThat(t.append(r.index, r.bytes, 0, r.bytes.length)).isTrue();
      }
      // Written twice (a shipper resent after a crash): the second copy is refused.
      assertThat(t.append(source.get(5).index, source.get(5).bytes, 0, 1)).isFalse();
    }
    assertThat(records(to)).containsExactlyElementsOf(source);

    // Reopened later (the copy resumes), a gap in a cycle is refused, the next index is kept.
    try (JournalCopy.Target t = Journals.openCopyTarget(to, rollCycle)) {
      Rec last = source.get(source.size() - 1);
      assertThat(t.append(last.index + 2, last.bytes, 0, last.bytes.length)).isFalse();
      assertThat(t.append(last.index + 1, last.bytes, 0, last.bytes.length)).isTrue();
      assertThat(t.appendNext(last.bytes, 0, last.bytes.length)).isEqualTo(last.index + 2);
    }

    // The copy is a journal its readers read like the original.
    try (JournalReader a = Journals.openReader(from);
        JournalReader b = Journals.openReader(to)) {
      Event ea = new Event();
      Event eb = new Event();
      long ia;
      int n = 0;
      while ((ia = a.next(ea)) >= 0) {
        assertThat(b.next(eb)).isEqualTo(ia);
        assertThat(eb.sequence()).isEqualTo(ea.sequence());
        assertThat(eb.timeNanos()).isEqualTo(ea.timeNanos());
        n++;
      }
      assertThat(n).isEqualTo(12);
    }
  }

  @Test
  void shouldResumeAfterAnIndexAndReadTheLastEvent() throws Exception {
    Path from = tmp.resolve("from");
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(from).ringSize(1024).preallocateBytes(0).build(), List.of())) {
      for (int i = 0; i < 10; i++) {
        journal.sink().publish(JournalTest.message(0, i));
      }
      JournalTest.await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == 10);
    }
    List<Rec> all = records(from);
    try (JournalCopy.Source s = Journals.openCopySource(from)) {
      s.toAfter(all.get(3).index);
      assertThat(s.next()).isEqualTo(all.get(4).index);
      Event last = new Event();
      assertThat(s.readLast(last)).isEqualTo(all.get(9).index);
      assertThat(last.sequence()).isEqualTo(9);
      assertThat(s.cycleFileName(all.get(0).index)).endsWith(".cq4");
      s.toAfter(-1);
      assertThat(s.next()).isEqualTo(all.get(0).index);
    }
  }
}
