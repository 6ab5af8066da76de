package io.meshlog.node.discovery;

import static io.meshlog.eventlog.config.SettingValues.require;

import io.meshlog.node.p2p.Multiaddr;
import java.time.Duration;
import java.util.List;

/**
 * Settings of discovery: the node's role, the directories it registers with, how a peer uses them,
 * and the limits a directory enforces. Each key is declared once in {@link DiscoverySettings}; the
 * table in {@code docs/node.md} is generated from there.
 *
 * @param role {@code node.role}: {@code peer} (default) or {@code directory}
 * @param directories {@code node.directories}: directory multiaddrs, each ending in {@code
 *     /p2p/<peer id>}; always redialled
 * @param ttl {@code discovery.ttl}: registration lifetime a peer asks for
 * @param refreshInterval {@code discovery.refreshInterval}: a peer re-registers this often (and
 *     always before 3/4 of the granted TTL)
 * @param interval {@code discovery.interval}: a peer DISCOVERs each topic this often
 * @param meshCheck {@code discovery.meshCheck}: how often a peer compares each topic's mesh with
 *     D_lo, and the least time between two DISCOVERs of a topic that it triggers
 * @param limit {@code discovery.limit}: registrations asked for per DISCOVER
 * @param maxDials {@code discovery.maxDials}: discovered peers dialled per answer, beyond those
 *     already connected
 * @param requestTimeout {@code discovery.requestTimeout}: a directory that does not answer within
 *     this fails the request
 * @param minTtl {@code directory.minTtl}: shortest TTL a directory grants
 * @param maxTtl {@code directory.maxTtl}: longest TTL a directory grants
 * @param maxNamespaceLength {@code directory.maxNamespaceLength}: longest namespace, in UTF-8 bytes
 * @param maxRegistrationsPerPeer {@code directory.maxRegistrationsPerPeer}
 * @param maxRegistrationsPerNamespace {@code directory.maxRegistrationsPerNamespace}
 * @param maxRegistrations {@code directory.maxRegistrations}: in total
 * @param maxDiscoverLimit {@code directory.maxDiscoverLimit}: most registrations in one answer
 * @param discoverRate {@code directory.discoverRate}: DISCOVERs per second one peer may send
 * @param discoverBurst {@code directory.discoverBurst}: DISCOVERs one peer may send at once
 * @param registerRate {@code directory.registerRate}: REGISTERs per second one peer may send
 * @param registerBurst {@code directory.registerBurst}: REGISTERs one peer may send at once
 * @param redialInitial {@code reconnect.initial}: first wait before redialling a dropped mesh peer
 * @param redialMax {@code reconnect.max}: the wait doubles up to this
 * @param redialJitter {@code reconnect.jitter}: each wait is scaled by a random 1 ± this
 * @param replaceAfter {@code reconnect.replaceAfter}: a mesh peer away this long is replaced
 * @param registryMaxPeers {@code registry.maxPeers}: peers the registry keeps at most
 * @param registryMaxAge {@code registry.maxAge}: a peer not seen for this long is forgotten
 * @param registryStartDials {@code registry.startDials}: registry peers dialled at start, and per
 *     round when a topic needs peers
 * @param trustedPeerScore {@code discovery.trustedPeerScore}: the gossipsub application score (P5,
 *     before {@code gossipsub.score.appSpecificWeight}) of the peers the node is told to keep
 *     (configured peers and directories); 0 scores them as any other peer
 */
public record DiscoveryConfig(
    Role role,
    List<String> directories,
    Duration ttl,
    Duration refreshInterval,
    Duration interval,
    Duration meshCheck,
    int limit,
    int maxDials,
    Duration requestTimeout,
    Duration minTtl,
    Duration maxTtl,
    int maxNamespaceLength,
    int maxRegistrationsPerPeer,
    int maxRegistrationsPerNamespace,
    int maxRegistrations,
    int maxDiscoverLimit,
    double discoverRate,
    int discoverBurst,
    double registerRate,
    int registerBurst,
    Duration redialInitial,
    Duration redialMax,
    double redialJitter,
    Duration replaceAfter,
    int registryMaxPeers,
    Duration registryMaxAge,
    int registryStartDials,
    double trustedPeerScore) {

  /** What a node is for. */
  public enum Role {
    /** An ordinary node; finds others through its directories. */
    PEER,
    /** Also serves {@code /rendezvous/1.0.0}: knows who is online in which topic. */
    DIRECTORY
  }

  /** The spec's TTL ceiling, 72 hours. */
  public static final Duration SPEC_MAX_TTL = Duration.ofHours(72);

  public DiscoveryConfig {
    directories = List.copyOf(directories);
  }

  /** Every default. */
  public static DiscoveryConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.role = role;
    b.directories = directories;
    b.ttl = ttl;
    b.refreshInterval = refreshInterval;
    b.interval = interval;
    b.meshCheck = meshCheck;
    b.limit = limit;
    b.maxDials = maxDials;
    b.requestTimeout = requestTimeout;
    b.minTtl = minTtl;
    b.maxTtl = maxTtl;
    b.maxNamespaceLength = maxNamespaceLength;
    b.maxRegistrationsPerPeer = maxRegistrationsPerPeer;
    b.maxRegistrationsPerNamespace = maxRegistrationsPerNamespace;
    b.maxRegistrations = maxRegistrations;
    b.maxDiscoverLimit = maxDiscoverLimit;
    b.discoverRate = discoverRate;
    b.discoverBurst = discoverBurst;
    b.registerRate = registerRate;
    b.registerBurst = registerBurst;
    b.redialInitial = redialInitial;
    b.redialMax = redialMax;
    b.redialJitter = redialJitter;
    b.replaceAfter = replaceAfter;
    b.registryMaxPeers = registryMaxPeers;
    b.registryMaxAge = registryMaxAge;
    b.registryStartDials = registryStartDials;
    b.trustedPeerScore = trustedPeerScore;
    return b;
  }

  /** The directories as multiaddrs (valid after {@link #validate()}). */
  public List<Multiaddr> directoryAddresses() {
    return directories.stream().map(Multiaddr::parse).toList();
  }

  /**
   * Checks every value.
   *
   * @return this
   * @throws IllegalArgumentException {@code invalid <key> = <value>: <why>}
   */
  public DiscoveryConfig validate() {
    require(role != null, "node.role", role, "must be peer or directory");
    for (String d : directories) {
      Multiaddr m;
      try {
        m = Multiaddr.parse(d);
        m.tcpPort();
      } catch (RuntimeException e) {
        throw io.meshlog.eventlog.config.SettingValues.bad("node.directories", d, e.getMessage());
      }
      require(m.peerId().isPresent(), "node.directories", d, "must end in /p2p/<peer id>");
    }
    positive(ttl, "discovery.ttl");
    require(ttl.getSeconds() >= 1, "discovery.ttl", ttl, "must be >= 1s");
    require(ttl.compareTo(SPEC_MAX_TTL) <= 0, "discovery.ttl", ttl, "must be <= 72h");
    positive(refreshInterval, "discovery.refreshInterval");
    require(
        refreshInterval.compareTo(ttl) < 0,
        "discovery.refreshInterval",
        refreshInterval,
        "must be shorter than discovery.ttl");
    positive(interval, "discovery.interval");
    positive(meshCheck, "discovery.meshCheck");
    require(limit >= 1 && limit <= 10_000, "discovery.limit", limit, "must be 1..10000");
    require(maxDials >= 0 && maxDials <= 1000, "discovery.maxDials", maxDials, "must be 0..1000");
    positive(requestTimeout, "discovery.requestTimeout");
    positive(minTtl, "directory.minTtl");
    require(minTtl.getSeconds() >= 1, "directory.minTtl", minTtl, "must be >= 1s");
    require(
        maxTtl != null && maxTtl.compareTo(minTtl) >= 0 && maxTtl.compareTo(SPEC_MAX_TTL) <= 0,
        "directory.maxTtl",
        maxTtl,
        "must be directory.minTtl..72h");
    require(
        maxNamespaceLength >= 1 && maxNamespaceLength <= 1024,
        "directory.maxNamespaceLength",
        maxNamespaceLength,
        "must be 1..1024");
    require(
        maxRegistrationsPerPeer >= 1,
        "directory.maxRegistrationsPerPeer",
        maxRegistrationsPerPeer,
        "must be >= 1");
    require(
        maxRegistrationsPerNamespace >= 1,
        "directory.maxRegistrationsPerNamespace",
        maxRegistrationsPerNamespace,
        "must be >= 1");
    require(
        maxRegistrations >= 1 && maxRegistrations <= 10_000_000,
        "directory.maxRegistrations",
        maxRegistrations,
        "must be 1..10000000");
    require(
        maxDiscoverLimit >= 1 && maxDiscoverLimit <= 10_000,
        "directory.maxDiscoverLimit",
        maxDiscoverLimit,
        "must be 1..10000");
    require(
        discoverRate > 0 && discoverRate <= 1_000_000,
        "directory.discoverRate",
        discoverRate,
        "must be > 0");
    require(discoverBurst >= 1, "directory.discoverBurst", discoverBurst, "must be >= 1");
    require(
        registerRate > 0 && registerRate <= 1_000_000,
        "directory.registerRate",
        registerRate,
        "must be > 0 and <= 1000000");
    require(registerBurst >= 1, "directory.registerBurst", registerBurst, "must be >= 1");
    positive(redialInitial, "reconnect.initial");
    require(
        redialMax != null && redialMax.compareTo(redialInitial) >= 0,
        "reconnect.max",
        redialMax,
        "must be >= reconnect.initial");
    require(
        redialJitter >= 0 && redialJitter < 1, "reconnect.jitter", redialJitter, "must be 0..<1");
    positive(replaceAfter, "reconnect.replaceAfter");
    require(
        registryMaxPeers >= 1 && registryMaxPeers <= 10_000_000,
        "registry.maxPeers",
        registryMaxPeers,
        "must be 1..10000000");
    positive(registryMaxAge, "registry.maxAge");
    require(
        registryStartDials >= 0 && registryStartDials <= 1000,
        "registry.startDials",
        registryStartDials,
        "must be 0..1000");
    require(
        Double.isFinite(trustedPeerScore) && trustedPeerScore >= 0,
        "discovery.trustedPeerScore",
        trustedPeerScore,
        "must be a finite number >= 0");
    return this;
  }

  private static void positive(Duration d, String key) {
    require(d != null && !d.isNegative() && !d.isZero(), key, d, "must be > 0");
  }

  /** Mutable builder with every default; not thread-safe. */
  public static final class Builder {
    private Role role = Role.PEER;
    private List<String> directories = List.of();
    private Duration ttl = Duration.ofHours(2);
    private Duration refreshInterval = Duration.ofHours(1);
    private Duration interval = Duration.ofMinutes(2);
    private Duration meshCheck = Duration.ofSeconds(10);
    private int limit = 100;
    private int maxDials = 8;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration minTtl = Duration.ofMinutes(2);
    private Duration maxTtl = SPEC_MAX_TTL;
    private int maxNamespaceLength = 255;
    private int maxRegistrationsPerPeer = 1000;
    private int maxRegistrationsPerNamespace = 10_000;
    private int maxRegistrations = 100_000;
    private int maxDiscoverLimit = 1000;
    private double discoverRate = 5;
    private int discoverBurst = 20;
    private double registerRate = 1;
    private int registerBurst = 100;
    private Duration redialInitial = Duration.ofSeconds(1);
    private Duration redialMax = Duration.ofSeconds(30);
    private double redialJitter = 0.2;
    private Duration replaceAfter = Duration.ofMinutes(2);
    private int registryMaxPeers = 10_000;
    private Duration registryMaxAge = Duration.ofDays(30);
    private int registryStartDials = 8;
    private double trustedPeerScore = 20;

    private Builder() {}

    public Builder role(Role v) {
      role = v;
      return this;
    }

    public Builder directories(List<String> v) {
      directories = v;
      return this;
    }

    public Builder ttl(Duration v) {
      ttl = v;
      return this;
    }

    public Builder refreshInterval(Duration v) {
      refreshInterval = v;
      return this;
    }

    public Builder interval(Duration v) {
      interval = v;
      return this;
    }

    public Builder meshCheck(Duration v) {
      meshCheck = v;
      return this;
    }

    public Builder limit(int v) {
      limit = v;
      return this;
    }

    public Builder maxDials(int v) {
      maxDials = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder minTtl(Duration v) {
      minTtl = v;
      return this;
    }

    public Builder maxTtl(Duration v) {
      maxTtl = v;
      return this;
    }

    public Builder maxNamespaceLength(int v) {
      maxNamespaceLength = v;
      return this;
    }

    public Builder maxRegistrationsPerPeer(int v) {
      maxRegistrationsPerPeer = v;
      return this;
    }

    public Builder maxRegistrationsPerNamespace(int v) {
      maxRegistrationsPerNamespace = v;
      return this;
    }

    public Builder maxRegistrations(int v) {
      maxRegistrations = v;
      return this;
    }

    public Builder maxDiscoverLimit(int v) {
      maxDiscoverLimit = v;
      return this;
    }

    public Builder discoverRate(double v) {
      discoverRate = v;
      return this;
    }

    public Builder discoverBurst(int v) {
      discoverBurst = v;
      return this;
    }

    public Builder registerRate(double v) {
      registerRate = v;
      return this;
    }

    public Builder registerBurst(int v) {
      registerBurst = v;
      return this;
    }

    public Builder redialInitial(Duration v) {
      redialInitial = v;
      return this;
    }

    public Builder redialMax(Duration v) {
      redialMax = v;
      return this;
    }

    public Builder redialJitter(double v) {
      redialJitter = v;
      return this;
    }

    public Builder replaceAfter(Duration v) {
      replaceAfter = v;
      return this;
    }

    public Builder registryMaxPeers(int v) {
      registryMaxPeers = v;
      return this;
    }

    public Builder registryMaxAge(Duration v) {
      registryMaxAge = v;
      return this;
    }

    public Builder registryStartDials(int v) {
      registryStartDials = v;
      return this;
    }

    public Builder trustedPeerScore(double v) {
      trustedPeerScore = v;
      return this;
    }

    /** Builds without validating (the node validates its whole config at start). */
    public DiscoveryConfig build() {
      return new DiscoveryConfig(
          role,
          directories,
          ttl,
          refreshInterval,
          interval,
          meshCheck,
          limit,
          maxDials,
          requestTimeout,
          minTtl,
          maxTtl,
          maxNamespaceLength,
          maxRegistrationsPerPeer,
          maxRegistrationsPerNamespace,
          maxRegistrations,
          maxDiscoverLimit,
          discoverRate,
          discoverBurst,
          registerRate,
          registerBurst,
          redialInitial,
          redialMax,
          redialJitter,
          replaceAfter,
          registryMaxPeers,
          registryMaxAge,
          registryStartDials,
          trustedPeerScore);
    }
  }
}
