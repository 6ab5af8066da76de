package io.meshlog.tools.crash;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a crash test: per kill what was acknowledged and what the audit found, and the
 * recovery times (spawn of the restarted node to its first mesh peer). Not thread-safe.
 */
public final class CrashReport {

  /** One kill and the restart after it. */
  public record Round(
      int round,
      long ackedBefore,
      long ackedInRound,
      long lost,
      long duplicates,
      boolean lamportWentBack,
      String readFailure,
      String projectionDifference,
      long startMillis,
      long recoveryMillis) {}

  private final List<Round> rounds = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  void add(Round r) {
    rounds.add(r);
  }

  void fail(String why) {
    failures.add(why);
  }

  public List<Round> rounds() {
    return List.copyOf(rounds);
  }

  /** Every check that failed, one sentence each; empty when the run is clean. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  public int kills() {
    return rounds.size();
  }

  /** Events the killed nodes had acknowledged as journaled, over all rounds. */
  public long eventsAcknowledged() {
    return rounds.stream().mapToLong(Round::ackedInRound).sum();
  }

  /** Acknowledged events not found in the journal after a kill (the highest count of any round). */
  public long eventsLost() {
    return rounds.stream().mapToLong(Round::lost).max().orElse(0);
  }

  /** Spawn of the restarted node to its journal and projections open and listening, ms, sorted. */
  public long[] startMillis() {
    return rounds.stream().mapToLong(Round::startMillis).filter(v -> v >= 0).sorted().toArray();
  }

  /** Recovery times (spawn to first mesh peer) in milliseconds, sorted. */
  public long[] recoveryMillis() {
    return rounds.stream().mapToLong(Round::recoveryMillis).filter(v -> v >= 0).sorted().toArray();
  }

  public boolean clean() {
    return failures.isEmpty();
  }
}
