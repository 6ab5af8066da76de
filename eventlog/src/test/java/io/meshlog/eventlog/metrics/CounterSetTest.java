package io.meshlog.eventlog.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.projection.ProjectionCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterSetTest {

  enum Good implements CounterDescriptor {
    A(201, "meshlog.node.a", CounterKind.COUNTER),
    P(205, "meshlog.node.p", CounterKind.POSITION);

    private final int id;
    private final String name;
    private final CounterKind kind;

    Good(int id, String name, CounterKind kind) {
      this.id = id;
      this.name = name;
      this.kind = kind;
    }

    @Override
    public CounterDeclaration declaration() {
      return new CounterDeclaration(id(), meterName(), kind(), description());
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public String meterName() {
      return name;
    }

    @Override
    public CounterKind kind() {
      return kind;
    }

    @Override
    public String description() {
      return "test";
    }
  }

  @Test
  void shouldCountFromZeroAndStartPositionsAtMinusOne() {
    CounterSet<Good> set = CounterSet.of(Good.class);
    assertThat(set.get(Good.A)).isZero();
    assertThat(set.get(Good.P)).isEqualTo(-1);
    set.increment(Good.A);
    set.add(Good.A, 4);
    set.set(Good.P, 17);
    assertThat(set.get(Good.A)).isEqualTo(5);
    assertThat(set.get(Good.P)).isEqualTo(17);
    assertThat(set.descriptors()).containsExactly(Good.A, Good.P);
  }

  @Test
  void shouldAcceptTheEventLogsOwnCounters() {
    List<CounterDescriptor> all = new ArrayList<>(List.of(JournalCounter.values()));
    all.addAll(List.of(ProjectionCounter.values()));
    CounterSet.check(all);
    assertThat(JournalCounter.EVENTS_APPENDED.module()).isEqualTo("journal");
    assertThat(ProjectionCounter.APPLIED_INDEX.module()).isEqualTo("projection");
  }

  @Test
  void shouldRefuseDuplicateIdsNamesAndIdsOutsideTheModulesRange() {
    assertThatThrownBy(() -> CounterSet.check(List.of(Good.A, Good.A)))
        .hasMessageContaining("id 201 is taken by A");
    assertThatThrownBy(
            () ->
                CounterSet.check(
                    List.of(Good.A, JournalCounter.EVENTS_APPENDED, d(201, "meshlog.node.b"))))
        .hasMessageContaining("id 201 is taken");
    assertThatThrownBy(() -> CounterSet.check(List.of(Good.A, d(202, "meshlog.node.a"))))
        .hasMessageContaining("meter name meshlog.node.a is taken");
    assertThatThrownBy(() -> CounterSet.check(List.of(d(301, "meshlog.node.c"))))
        .hasMessageContaining("id 301 is outside the range of module node");
    assertThatThrownBy(() -> CounterSet.check(List.of(d(202, "node.dials-started"))))
        .hasMessageContaining("is not meshlog.<module>.<what>");
  }

  private static CounterDescriptor d(int id, String name) {
    CounterDeclaration declaration = new CounterDeclaration(id, name, CounterKind.COUNTER, "test");
    return new CounterDescriptor() {
      @Override
      public CounterDeclaration declaration() {
        return declaration;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
