package io.meshlog.node;

import static io.meshlog.eventlog.config.SettingValues.dbl;
import static io.meshlog.eventlog.config.SettingValues.duration;
import static io.meshlog.eventlog.config.SettingValues.integer;
import static io.meshlog.eventlog.config.SettingValues.list;

import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingsTable;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.export.ExportConfig;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.discovery.DiscoverySettings;
import io.meshlog.node.gossipsub.GossipsubSettings;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.HostSettings;
import io.meshlog.node.sync.SyncConfig;
import io.meshlog.node.sync.SyncSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Turns {@code key = value} settings into a {@link NodeConfig}. The keys are the union of the
 * parts' declared tables ({@link #table()}): the node's own ({@code node.*}), the host's, the
 * router's, the journal's, the projections' and the others', and of a part outside the node that
 * reads the same settings ({@link #with}: the consoles' {@code jmx.*} and {@code prometheus.*}). A
 * key not there is rejected by name, so a typo never silently leaves a default in force; values
 * follow the one grammar of {@link io.meshlog.eventlog.config.SettingValues}.
 */
final class NodeProperties {

  /** Values gathered before the parts' records are built; one parse owns one instance. */
  static final class State {
    final Path dataDir;
    final NodeConfig.Builder node;
    final HostConfig.Builder host =
        HostConfig.builder().listenAddresses(List.of(NodeConfig.DEFAULT_LISTEN));
    final GossipsubSettings.Draft gossip = new GossipsubSettings.Draft();
    final JournalConfig.Builder journal;
    final ProjectionConfig.Draft projections = new ProjectionConfig.Draft();
    final DiscoveryConfig.Builder discovery = DiscoveryConfig.builder();
    final ExportConfig.Builder export = ExportConfig.builder();
    final SyncConfig.Builder sync = SyncConfig.builder();
    final ReconciliationConfig.Draft reconciliation = new ReconciliationConfig.Draft();
    final LogConfig.Draft log = new LogConfig.Draft();
    Duration backoffMin = Duration.ofSeconds(1);
    Duration backoffMax = Duration.ofSeconds(60);

    State(Path dataDir) {
      this.dataDir = dataDir;
      this.node = NodeConfig.builder(dataDir);
      this.journal = JournalConfig.builder(dataDir.resolve("journal"));
    }
  }

  private static final SettingsTable<State> NODE =
      SettingsTable.of(
          List.of(
              Setting.<State>of(
                  "node.dataDir",
                  "path",
                  "required",
                  "holds `journal/`, `projections/`, `identity.key`, `logs/`",
                  (s, v) -> {}),
              Setting.<State>of(
                  "node.listen",
                  "list",
                  NodeConfig.DEFAULT_LISTEN,
                  "TCP multiaddrs to listen on; port 0 picks a free one",
                  (s, v) -> s.host.listenAddresses(list(v))),
              Setting.<State>of(
                  "node.peers",
                  "list",
                  "none",
                  "multiaddrs with `/p2p/<id>`, dialled at start and redialled whenever they drop",
                  (s, v) -> s.node.peers(list(v))),
              Setting.<State>of(
                  "node.topics",
                  "list",
                  "none",
                  "topics joined at start",
                  (s, v) -> s.node.topics(list(v))),
              Setting.<State>of(
                  "node.agent",
                  "string",
                  "meshlog/<version>",
                  "agent version sent in identify",
                  (s, v) -> s.host.agentVersion(v)),
              Setting.<State>of(
                  "node.dial.backoffMin",
                  "duration",
                  "1s",
                  "first wait after a failed dial (≥ 10ms)",
                  (s, v) -> s.backoffMin = duration("node.dial.backoffMin", v)),
              Setting.<State>of(
                  "node.dial.backoffMax",
                  "duration",
                  "60s",
                  "the wait doubles (plus up to 20% jitter) up to this",
                  (s, v) -> s.backoffMax = duration("node.dial.backoffMax", v)),
              Setting.<State>of(
                  "node.chatRate",
                  "number",
                  "0",
                  "chat lines per second the node publishes itself, topics in turn",
                  (s, v) -> s.node.chatRate(dbl("node.chatRate", v))),
              Setting.<State>of(
                  "node.chatMinPeers",
                  "int",
                  "1",
                  "chat waits on a topic until this many peers are subscribed to it",
                  (s, v) -> s.node.chatMinPeers(integer("node.chatMinPeers", v)))));

  /** Every key of a node, each declared once by the part it configures. */
  private static final SettingsTable<State> TABLE =
      SettingsTable.union(
          NODE,
          HostSettings.table().on(s -> s.host),
          DiscoverySettings.table().on(s -> s.discovery),
          ReconciliationConfig.table().on(s -> s.reconciliation),
          GossipsubSettings.table().on(s -> s.gossip),
          SyncSettings.table().on(s -> s.sync),
          JournalConfig.settings().on(s -> s.journal),
          ProjectionConfig.settings().on(s -> s.projections),
          ExportConfig.settings().on(s -> s.export),
          LogConfig.settings().on(s -> s.log));

  private NodeProperties() {}

  /** The union of every part's settings, in docs order. */
  static SettingsTable<State> table() {
    return TABLE;
  }

  /** Every key this reader accepts, in table order. */
  static List<String> keys() {
    return TABLE.keys();
  }

  /** The node's keys with those of another part that reads the same settings ({@code more}). */
  static <T> SettingsTable<State> with(SettingsTable<T> more, T target) {
    return SettingsTable.union(TABLE, more.on(s -> target));
  }

  static NodeConfig parse(Map<String, String> props, SettingsTable<State> table) {
    table.requireKnown(props.keySet());
    String dir = props.get("node.dataDir");
    if (dir == null || dir.isBlank()) {
      throw NodeConfig.bad("node.dataDir", dir, "is required");
    }
    State s = new State(Path.of(dir.trim()));
    table.apply(s, props);
    return s.node
        .dialBackoff(s.backoffMin, s.backoffMax)
        .host(s.host.build())
        .gossipsub(s.gossip.build())
        .journal(s.journal.build())
        .projections(s.projections.config().validate())
        .discovery(s.discovery.build())
        .export(s.export.build())
        .sync(s.sync.build())
        .reconciliation(s.reconciliation.build())
        .log(s.log.build())
        .build();
  }

  static Map<String, String> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      out.put(key, p.getProperty(key));
    }
    return out;
  }
}
