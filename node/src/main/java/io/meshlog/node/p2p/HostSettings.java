package io.meshlog.node.p2p;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.List;

/**
 * The {@code host.*} settings of {@link HostConfig}, each declared once; the host's rows of the
 * table in {@code docs/node.md} are checked against it. ({@code node.listen} and {@code node.agent}
 * also land in a {@link HostConfig} but are the node's keys.)
 */
public final class HostSettings {

  private static final SettingsTable<HostConfig.Builder> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.<HostConfig.Builder>of(
                  "host.dialTimeout",
                  "duration",
                  "10s",
                  "TCP connect limit",
                  (b, v) -> b.dialTimeout(SettingValues.duration("host.dialTimeout", v))),
              Setting.<HostConfig.Builder>of(
                  "host.handshakeTimeout",
                  "duration",
                  "10s",
                  "multistream + Noise + Yamux upgrade limit",
                  (b, v) -> b.handshakeTimeout(SettingValues.duration("host.handshakeTimeout", v))),
              Setting.<HostConfig.Builder>of(
                  "host.maxConnections",
                  "int",
                  "512",
                  "connections beyond this are refused",
                  (b, v) -> b.maxConnections(SettingValues.integer("host.maxConnections", v))),
              Setting.<HostConfig.Builder>of(
                  "host.maxStreamsPerConnection",
                  "int",
                  "512",
                  "Yamux streams per connection (≥ 4)",
                  (b, v) ->
                      b.maxStreamsPerConnection(
                          SettingValues.integer("host.maxStreamsPerConnection", v))),
              Setting.<HostConfig.Builder>of(
                  "host.maxMessageSize",
                  "size",
                  "4194304",
                  "largest length-prefixed protocol message (≥ 1024)",
                  (b, v) -> b.maxMessageSize(SettingValues.intSize("host.maxMessageSize", v))),
              Setting.<HostConfig.Builder>of(
                  "host.maxPendingWriteBytes",
                  "size",
                  "16777216",
                  "bytes a stream queues beyond the peer's window before its writes fail",
                  (b, v) ->
                      b.maxPendingWriteBytes(
                          SettingValues.intSize("host.maxPendingWriteBytes", v))),
              Setting.<HostConfig.Builder>of(
                  "host.pingInterval",
                  "duration",
                  "15s",
                  "ping every connected peer this often (0 = never)",
                  (b, v) -> b.pingInterval(SettingValues.duration("host.pingInterval", v))),
              Setting.<HostConfig.Builder>of(
                  "host.pingTimeout",
                  "duration",
                  "10s",
                  "a ping without answer in this time fails",
                  (b, v) -> b.pingTimeout(SettingValues.duration("host.pingTimeout", v))),
              Setting.<HostConfig.Builder>of(
                  "host.ioThreads",
                  "int",
                  "2",
                  "Netty event-loop threads",
                  (b, v) -> b.ioThreads(SettingValues.integer("host.ioThreads", v))),
              Setting.<HostConfig.Builder>of(
                  "host.closeGrace",
                  "duration",
                  "5s",
                  "a clean stop waits this long for queued writes to reach peers (0 = close at once)",
                  (b, v) -> b.closeGrace(SettingValues.duration("host.closeGrace", v)))));

  private HostSettings() {}

  /** Every {@code host.*} setting, applied to a {@link HostConfig.Builder}. */
  public static SettingsTable<HostConfig.Builder> table() {
    return SETTINGS;
  }
}
