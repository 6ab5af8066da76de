package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeletedEventCountTest {
  private final DeletedEventCount count = new DeletedEventCount();

  @Test
  void shouldCountNothingForContiguousSequences() {
    assertThat(count.read(0, 10)).isZero();
    assertThat(count.read(1, 10)).isZero();
    assertThat(count.read(2, 11)).isZero();
    assertThat(count.total()).isZero();
  }

  @Test
  void shouldCountTheEventsBetweenOnASequenceJumpIntoALaterCycle() {
    count.read(4, 10);
    assertThat(count.read(9, 13)).isEqualTo(4);
    assertThat(count.read(20, 14)).isEqualTo(10);
    assertThat(count.total()).isEqualTo(14);
  }

  @Test
  void shouldCountNothingBeforeTheFirstKnownSequence() {
    assertThat(count.read(100, 20)).isZero();
    count.forget();
    assertThat(count.read(200, 30)).isZero();
    assertThat(count.total()).isZero();
  }

  @Test
  void shouldCountFromAKnownEventOnASeekPastIt() {
    count.positionedAfter(5, 10);
    assertThat(count.read(8, 11)).isEqualTo(2);
  }

  @Test
  void shouldNotCountRecordsOfUnknownTypeInBetween() {
    count.read(5, 10);
    count.unknownRecord();
    count.unknownRecord();
    assertThat(count.read(10, 12)).isEqualTo(2);
  }

  @Test
  void shouldNotTakeAGapWithinOneCycleForADeletion() {
    count.read(5, 10);
    assertThat(count.read(9, 10)).isZero();
  }
}
