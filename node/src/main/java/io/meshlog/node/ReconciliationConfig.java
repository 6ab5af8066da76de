package io.meshlog.node;

import static io.meshlog.eventlog.config.SettingValues.duration;
import static io.meshlog.eventlog.config.SettingValues.longValue;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.time.Duration;
import java.util.List;

/**
 * The sequencer and final-order settings ({@code reconciliation.*}), declared once; their rows of
 * the table in {@code docs/node.md} are generated from here. See {@code docs/reconciliation.md}.
 *
 * @param holdBack {@code reconciliation.holdBack}: how long the sequencer holds a message before it
 *     is final, so that late messages can be placed by Lamport time among the held ones
 * @param maxLamportJump {@code reconciliation.maxLamportJump}: the clock bound, above the highest
 *     Lamport time confirmed for the topic
 * @param resubmitInterval {@code reconciliation.resubmitInterval}: how often a node checks that its
 *     sequencer is reachable and submits its messages unconfirmed for longer than this
 */
public record ReconciliationConfig(
    Duration holdBack, long maxLamportJump, Duration resubmitInterval) {

  /** The defaults. */
  public static ReconciliationConfig defaults() {
    return new Draft().build();
  }

  /** Checks every value; names the key of the first bad one. */
  public ReconciliationConfig validate() {
    SettingValues.require(
        !holdBack.isNegative() && holdBack.compareTo(Duration.ofSeconds(60)) <= 0,
        "reconciliation.holdBack",
        holdBack,
        "must be 0..60s");
    SettingValues.require(
        maxLamportJump >= 1, "reconciliation.maxLamportJump", maxLamportJump, "must be >= 1");
    SettingValues.require(
        resubmitInterval.toMillis() >= 10,
        "reconciliation.resubmitInterval",
        resubmitInterval,
        "must be >= 10ms");
    return this;
  }

  /** Mutable draft the settings table fills; not thread-safe. */
  public static final class Draft {
    Duration holdBack = Duration.ofMillis(100);
    long maxLamportJump = 1_000_000L;
    Duration resubmitInterval = Duration.ofSeconds(2);

    public ReconciliationConfig build() {
      return new ReconciliationConfig(holdBack, maxLamportJump, resubmitInterval).validate();
    }
  }

  private static final SettingsTable<Draft> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.of(
                  "reconciliation.holdBack",
                  "duration",
                  "100ms",
                  "a directory holds each message this long before it is final (late ones are placed by Lamport among the held)",
                  (d, v) -> d.holdBack = duration("reconciliation.holdBack", v)),
              Setting.of(
                  "reconciliation.maxLamportJump",
                  "long",
                  "1000000",
                  "a message more than this above the highest Lamport time confirmed in its topic is rejected, by every node and the sequencer",
                  (d, v) -> d.maxLamportJump = longValue("reconciliation.maxLamportJump", v)),
              Setting.of(
                  "reconciliation.resubmitInterval",
                  "duration",
                  "2s",
                  "check the sequencer is reachable and submit messages unconfirmed longer than this, this often",
                  (d, v) -> d.resubmitInterval = duration("reconciliation.resubmitInterval", v))));

  /** Every reconciliation setting. */
  public static SettingsTable<Draft> table() {
    return SETTINGS;
  }
}
