package io.meshlog.node.sync;

import static io.meshlog.eventlog.config.SettingValues.bool;
import static io.meshlog.eventlog.config.SettingValues.dbl;
import static io.meshlog.eventlog.config.SettingValues.duration;
import static io.meshlog.eventlog.config.SettingValues.intSize;
import static io.meshlog.eventlog.config.SettingValues.integer;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.List;

/**
 * The {@code sync.*} settings of {@link SyncConfig}, each declared once; their rows of the tables
 * in {@code docs/sync.md} and {@code docs/node.md} are generated from here.
 */
public final class SyncSettings {

  private static final SettingsTable<SyncConfig.Builder> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.<SyncConfig.Builder>of(
                  "sync.enabled",
                  "boolean",
                  "true",
                  "serve `/meshlog/sync/1.0.0` from the journal and fetch gaps from peers",
                  (b, v) -> b.enabled(bool("sync.enabled", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.maxMessagesPerAnswer",
                  "int",
                  "512",
                  "most messages in one answer (1..65535)",
                  (b, v) -> b.maxMessagesPerAnswer(integer("sync.maxMessagesPerAnswer", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.maxAnswerBytes",
                  "size",
                  "4m",
                  "largest answer served or accepted (64k..64m)",
                  (b, v) -> b.maxAnswerBytes(intSize("sync.maxAnswerBytes", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.requestRate",
                  "number",
                  "20",
                  "requests per second one peer may send (`RATE_LIMITED` beyond)",
                  (b, v) -> b.requestRate(dbl("sync.requestRate", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.requestBurst",
                  "int",
                  "50",
                  "requests one peer may send at once before the rate applies",
                  (b, v) -> b.requestBurst(integer("sync.requestBurst", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.maxConcurrentServes",
                  "int",
                  "4",
                  "answers built at once for all peers (`BUSY` beyond; 1..64)",
                  (b, v) -> b.maxConcurrentServes(integer("sync.maxConcurrentServes", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.maxConcurrentFetches",
                  "int",
                  "3",
                  "this node's requests in flight at once (1..64)",
                  (b, v) -> b.maxConcurrentFetches(integer("sync.maxConcurrentFetches", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.requestTimeout",
                  "duration",
                  "10s",
                  "a request without an answer in this time fails (≥ 100ms)",
                  (b, v) -> b.requestTimeout(duration("sync.requestTimeout", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.gapDelay",
                  "duration",
                  "1s",
                  "a gap seen in live gossip is asked for when still open after this",
                  (b, v) -> b.gapDelay(duration("sync.gapDelay", v))),
              Setting.<SyncConfig.Builder>of(
                  "sync.maxBacklog",
                  "int",
                  "100000",
                  "most messages of one origin fetched below its head",
                  (b, v) -> b.maxBacklog(integer("sync.maxBacklog", v)))));

  private SyncSettings() {}

  /** Every sync setting, applied to a {@link SyncConfig.Builder}. */
  public static SettingsTable<SyncConfig.Builder> table() {
    return SETTINGS;
  }
}
