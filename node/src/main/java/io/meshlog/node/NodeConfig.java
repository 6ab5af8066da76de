package io.meshlog.node;

import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.export.ExportConfig;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.sync.SyncConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a meshlog node, in one place: its own ({@code node.*}), the host's ({@code
 * host.*}), the router's ({@code gossipsub.*}), the journal's ({@code journal.*}) and the other
 * parts'. Read from properties with {@link #fromProperties(Map)} (unknown keys are rejected), or
 * built with {@link #builder(Path)}. The consoles' {@code jmx.*} and {@code prometheus.*} settings
 * are the jmx module's: a command that serves them reads them in the same parse with {@link
 * #fromProperties(Map, SettingsTable, Object)}. The table of every key, its default and meaning is
 * in {@code docs/node.md}.
 *
 * @param dataDir {@code node.dataDir}: holds {@code journal/}, {@code projections/}, {@code
 *     identity.key}, {@code logs/}; required
 * @param peers {@code node.peers}: multiaddrs (with {@code /p2p/<id>}) dialled at start and
 *     redialled whenever they drop; default none
 * @param topics {@code node.topics}: topics joined at start; default none
 * @param dialBackoffMin {@code node.dial.backoffMin}: first wait before redialling a peer; 1s
 * @param dialBackoffMax {@code node.dial.backoffMax}: the wait doubles up to this; 60s
 * @param chatRate {@code node.chatRate}: messages per second the node itself publishes, spread over
 *     its topics (for demos and soak runs); 0 (default) publishes nothing
 * @param chatMinPeers {@code node.chatMinPeers}: chat skips a topic's turn until at least this many
 *     peers are subscribed to the topic (and one is in its mesh); 1 (default). A local mesh that
 *     sets it to its size less one publishes only once every node can hear it.
 * @param host the transport settings; {@code node.listen} and {@code node.agent} land here
 * @param gossipsub the router settings
 * @param journal the journal settings; its directory is {@code <dataDir>/journal}
 * @param projections the RocksDB projection settings ({@code projections.*})
 * @param discovery the node's role, its directories and the rendezvous settings ({@code node.role},
 *     {@code node.directories}, {@code discovery.*}, {@code directory.*})
 * @param export the Kafka shipper's settings ({@code export.kafka.*}); off by default
 * @param sync gap sync ({@code sync.*}, docs/sync.md); on by default
 * @param reconciliation the sequencer and final-order settings ({@code reconciliation.*})
 * @param log how the node's log file rolls ({@code log.*})
 */
public record NodeConfig(
    Path dataDir,
    List<String> peers,
    List<String> topics,
    Duration dialBackoffMin,
    Duration dialBackoffMax,
    double chatRate,
    int chatMinPeers,
    HostConfig host,
    GossipsubConfig gossipsub,
    JournalConfig journal,
    ProjectionConfig projections,
    DiscoveryConfig discovery,
    ExportConfig export,
    SyncConfig sync,
    ReconciliationConfig reconciliation,
    LogConfig log) {

  /** The listen address when none is configured. */
  public static final String DEFAULT_LISTEN = "/ip4/0.0.0.0/tcp/4001";

  public NodeConfig {
    peers = List.copyOf(peers);
    topics = List.copyOf(topics);
  }

  /**
   * Reads every key of {@code props} (as read from a config file, with flags merged over it).
   *
   * @throws IllegalArgumentException naming the key (and value) that is unknown, does not parse or
   *     is invalid
   */
  public static NodeConfig fromProperties(Map<String, String> props) {
    return NodeProperties.parse(props, NodeProperties.table()).validate();
  }

  /**
   * As {@link #fromProperties(Map)}, where {@code props} may also hold the keys of {@code more},
   * another part's settings read in the same parse (applied to {@code target}): one config file and
   * one {@code --set} for the node and what runs beside it, a typo refused with the nearest key of
   * either.
   *
   * @throws IllegalArgumentException naming the key (and value) that is unknown, does not parse or
   *     is invalid
   */
  public static <T> NodeConfig fromProperties(
      Map<String, String> props, SettingsTable<T> more, T target) {
    return NodeProperties.parse(props, NodeProperties.with(more, target)).validate();
  }

  /**
   * Reads a config file in Java properties format ({@code key = value} lines, {@code #} comments).
   *
   * @throws IllegalArgumentException naming the file when it cannot be read
   */
  public static Map<String, String> readFile(Path file) {
    return NodeProperties.read(file);
  }

  /**
   * A config file that lists every setting the node reads, commented out, with its default and
   * meaning: the distribution's {@code conf/meshlog.properties}.
   *
   * @param more the settings of a part that reads the same file (the consoles'), listed after the
   *     node's
   */
  public static <T> String exampleConfig(SettingsTable<T> more) {
    return "# meshlog node settings: every key the node reads, with its default. Uncomment to set.\n"
        + "# Flags (--data-dir, --listen, --peer, --topic, --jmx-port, ...) and --set KEY=VALUE win\n"
        + "# over this file. Reference: docs/node.md, docs/gossipsub.md, docs/journal.md, docs/jmx.md.\n"
        + "\n"
        + NodeProperties.with(more, null).propertiesTemplate();
  }

  /** A builder with every default, for {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** The node key file. */
  public Path identityFile() {
    return dataDir.resolve("identity.key");
  }

  /** The RocksDB projections directory. */
  public Path projectionsDir() {
    return dataDir.resolve("projections");
  }

  /** Where the node's log files go. */
  public Path logsDir() {
    return dataDir.resolve("logs");
  }

  /**
   * Checks every setting, the parts' included.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public NodeConfig validate() {
    require(dataDir != null, "node.dataDir", dataDir, "is required");
    for (String p : peers) {
      Multiaddr m;
      try {
        m = Multiaddr.parse(p);
        m.tcpPort();
      } catch (RuntimeException e) {
        throw bad("node.peers", p, e.getMessage());
      }
      require(m.peerId().isPresent(), "node.peers", p, "needs /p2p/<peer id>");
    }
    for (String t : topics) {
      require(!t.isBlank() && t.length() <= 256, "node.topics", t, "must be 1..256 characters");
    }
    require(
        dialBackoffMin != null && dialBackoffMin.toMillis() >= 10,
        "node.dial.backoffMin",
        dialBackoffMin,
        "must be >= 10ms");
    require(
        dialBackoffMax != null && dialBackoffMax.compareTo(dialBackoffMin) >= 0,
        "node.dial.backoffMax",
        dialBackoffMax,
        "must be >= node.dial.backoffMin");
    require(chatRate >= 0 && chatRate <= 10_000, "node.chatRate", chatRate, "must be 0..10000");
    require(
        chatMinPeers >= 1 && chatMinPeers <= 10_000,
        "node.chatMinPeers",
        chatMinPeers,
        "must be 1..10000");
    require(host != null, "host", host, "is required");
    require(!host.listenAddresses().isEmpty(), "node.listen", "", "needs at least one address");
    for (String a : host.listenAddresses()) {
      try {
        Multiaddr.parse(a).tcpPort();
      } catch (RuntimeException e) {
        throw bad("node.listen", a, e.getMessage());
      }
    }
    host.validate();
    require(gossipsub != null, "gossipsub", gossipsub, "is required");
    gossipsub.validate();
    require(journal != null, "journal", journal, "is required");
    journal.validate();
    require(projections != null, "projections", projections, "is required");
    projections.validate();
    require(discovery != null, "discovery", discovery, "is required");
    discovery.validate();
    require(sync != null, "sync", sync, "is required");
    sync.validate();
    require(reconciliation != null, "reconciliation", reconciliation, "is required");
    reconciliation.validate();
    return this;
  }

  static void require(boolean ok, String key, Object value, String why) {
    if (!ok) {
      throw bad(key, value, why);
    }
  }

  static IllegalArgumentException bad(String key, Object value, String why) {
    return SettingValues.bad(key, value, why);
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final Path dataDir;
    private List<String> peers = List.of();
    private List<String> topics = List.of();
    private Duration dialBackoffMin = Duration.ofSeconds(1);
    private Duration dialBackoffMax = Duration.ofSeconds(60);
    private double chatRate;
    private int chatMinPeers = 1;
    private HostConfig host = HostConfig.builder().listenAddresses(List.of(DEFAULT_LISTEN)).build();
    private GossipsubConfig gossipsub = GossipsubConfig.builder().build();
    private JournalConfig journal;
    private ProjectionConfig projections = ProjectionConfig.defaults();
    private DiscoveryConfig discovery = DiscoveryConfig.defaults();
    private ExportConfig export = ExportConfig.builder().build();
    private SyncConfig sync = SyncConfig.defaults();
    private ReconciliationConfig reconciliation = ReconciliationConfig.defaults();
    private LogConfig log = LogConfig.DEFAULTS;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
      this.journal =
          dataDir == null ? null : JournalConfig.builder(dataDir.resolve("journal")).build();
    }

    public Builder peers(List<String> v) {
      peers = v;
      return this;
    }

    public Builder topics(List<String> v) {
      topics = v;
      return this;
    }

    public Builder dialBackoff(Duration min, Duration max) {
      dialBackoffMin = min;
      dialBackoffMax = max;
      return this;
    }

    public Builder chatRate(double v) {
      chatRate = v;
      return this;
    }

    public Builder chatMinPeers(int v) {
      chatMinPeers = v;
      return this;
    }

    public Builder host(HostConfig v) {
      host = v;
      return this;
    }

    public Builder gossipsub(GossipsubConfig v) {
      gossipsub = v;
      return this;
    }

    public Builder journal(JournalConfig v) {
      journal = v;
      return this;
    }

    public Builder projections(ProjectionConfig v) {
      projections = v;
      return this;
    }

    /** Role, directories and rendezvous settings. */
    public Builder discovery(DiscoveryConfig v) {
      discovery = v;
      return this;
    }

    /** The Kafka shipper ({@code export.kafka.*}). */
    public Builder export(ExportConfig v) {
      export = v;
      return this;
    }

    /** Gap sync ({@code sync.*}). */
    public Builder sync(SyncConfig v) {
      sync = v;
      return this;
    }

    /** The sequencer and final-order settings ({@code reconciliation.*}). */
    public Builder reconciliation(ReconciliationConfig v) {
      reconciliation = v;
      return this;
    }

    public Builder log(LogConfig v) {
      log = v;
      return this;
    }

    /** Builds and validates. */
    public NodeConfig build() {
      return new NodeConfig(
              dataDir,
              peers,
              topics,
              dialBackoffMin,
              dialBackoffMax,
              chatRate,
              chatMinPeers,
              host,
              gossipsub,
              journal,
              projections,
              discovery,
              export,
              sync,
              reconciliation,
              log)
          .validate();
    }
  }
}
