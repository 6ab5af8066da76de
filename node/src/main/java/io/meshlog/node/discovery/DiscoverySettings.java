package io.meshlog.node.discovery;

import static io.meshlog.eventlog.config.SettingValues.dbl;
import static io.meshlog.eventlog.config.SettingValues.duration;
import static io.meshlog.eventlog.config.SettingValues.integer;
import static io.meshlog.eventlog.config.SettingValues.list;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.List;
import java.util.Locale;

/**
 * The discovery settings of {@link DiscoveryConfig} ({@code node.role}, {@code node.directories},
 * {@code discovery.*} for a peer, {@code directory.*} for a directory, {@code reconnect.*} and
 * {@code registry.*} for the connection lifecycle), each declared once; their rows of the table in
 * {@code docs/node.md} are generated from here.
 */
public final class DiscoverySettings {

  private static Setting<DiscoveryConfig.Builder> of(
      String key,
      String type,
      String def,
      String meaning,
      java.util.function.BiConsumer<DiscoveryConfig.Builder, String> a) {
    return Setting.of(key, type, def, meaning, a);
  }

  private static final SettingsTable<DiscoveryConfig.Builder> SETTINGS =
      SettingsTable.of(
          List.of(
              of(
                  "node.role",
                  "string",
                  "peer",
                  "`peer`, or `directory`: also serve `/rendezvous/1.0.0` (needs no topic)",
                  (b, v) -> b.role(role(v))),
              of(
                  "node.directories",
                  "list",
                  "none",
                  "directory multiaddrs ending in `/p2p/<id>`; registered with, always redialled",
                  (b, v) -> b.directories(list(v))),
              of(
                  "discovery.ttl",
                  "duration",
                  "2h",
                  "registration lifetime a peer asks for (≤ 72h)",
                  (b, v) -> b.ttl(duration("discovery.ttl", v))),
              of(
                  "discovery.refreshInterval",
                  "duration",
                  "1h",
                  "re-register this often, and before 3/4 of the granted TTL",
                  (b, v) -> b.refreshInterval(duration("discovery.refreshInterval", v))),
              of(
                  "discovery.interval",
                  "duration",
                  "2m",
                  "DISCOVER each topic this often",
                  (b, v) -> b.interval(duration("discovery.interval", v))),
              of(
                  "discovery.meshCheck",
                  "duration",
                  "10s",
                  "compare each topic's mesh with D_lo this often; DISCOVER when below",
                  (b, v) -> b.meshCheck(duration("discovery.meshCheck", v))),
              of(
                  "discovery.limit",
                  "int",
                  "100",
                  "registrations asked for per DISCOVER",
                  (b, v) -> b.limit(integer("discovery.limit", v))),
              of(
                  "discovery.maxDials",
                  "int",
                  "8",
                  "discovered peers dialled per answer, beyond those connected",
                  (b, v) -> b.maxDials(integer("discovery.maxDials", v))),
              of(
                  "discovery.trustedPeerScore",
                  "number",
                  "20",
                  "gossipsub application score (P5) of configured peers and directories; above"
                      + " `gossipsub.threshold.acceptPx`, so their peer exchange is followed",
                  (b, v) -> b.trustedPeerScore(dbl("discovery.trustedPeerScore", v))),
              of(
                  "discovery.requestTimeout",
                  "duration",
                  "10s",
                  "a directory request without answer in this time fails",
                  (b, v) -> b.requestTimeout(duration("discovery.requestTimeout", v))),
              of(
                  "directory.minTtl",
                  "duration",
                  "2m",
                  "shortest TTL a directory grants (`E_INVALID_TTL` below)",
                  (b, v) -> b.minTtl(duration("directory.minTtl", v))),
              of(
                  "directory.maxTtl",
                  "duration",
                  "72h",
                  "longest TTL a directory grants (`E_INVALID_TTL` above)",
                  (b, v) -> b.maxTtl(duration("directory.maxTtl", v))),
              of(
                  "directory.maxNamespaceLength",
                  "int",
                  "255",
                  "longest namespace in UTF-8 bytes (`E_INVALID_NAMESPACE` above)",
                  (b, v) -> b.maxNamespaceLength(integer("directory.maxNamespaceLength", v))),
              of(
                  "directory.maxRegistrationsPerPeer",
                  "int",
                  "1000",
                  "registrations one peer may hold (`E_NOT_AUTHORIZED` beyond)",
                  (b, v) ->
                      b.maxRegistrationsPerPeer(integer("directory.maxRegistrationsPerPeer", v))),
              of(
                  "directory.maxRegistrationsPerNamespace",
                  "int",
                  "10000",
                  "registrations in one namespace (`E_UNAVAILABLE` beyond)",
                  (b, v) ->
                      b.maxRegistrationsPerNamespace(
                          integer("directory.maxRegistrationsPerNamespace", v))),
              of(
                  "directory.maxRegistrations",
                  "int",
                  "100000",
                  "registrations in total (`E_UNAVAILABLE` beyond)",
                  (b, v) -> b.maxRegistrations(integer("directory.maxRegistrations", v))),
              of(
                  "directory.maxDiscoverLimit",
                  "int",
                  "1000",
                  "most registrations in one DISCOVER answer",
                  (b, v) -> b.maxDiscoverLimit(integer("directory.maxDiscoverLimit", v))),
              of(
                  "directory.discoverRate",
                  "number",
                  "5",
                  "DISCOVERs per second one peer may send (`E_UNAVAILABLE` beyond)",
                  (b, v) -> b.discoverRate(dbl("directory.discoverRate", v))),
              of(
                  "directory.discoverBurst",
                  "int",
                  "20",
                  "DISCOVERs one peer may send at once before the rate applies",
                  (b, v) -> b.discoverBurst(integer("directory.discoverBurst", v))),
              of(
                  "directory.registerRate",
                  "number",
                  "1",
                  "REGISTERs per second one peer may send (`E_UNAVAILABLE` beyond; its node retries"
                      + " after `discovery.interval`)",
                  (b, v) -> b.registerRate(dbl("directory.registerRate", v))),
              of(
                  "directory.registerBurst",
                  "int",
                  "100",
                  "REGISTERs one peer may send at once (one per topic at its start) before the rate"
                      + " applies",
                  (b, v) -> b.registerBurst(integer("directory.registerBurst", v))),
              of(
                  "reconnect.initial",
                  "duration",
                  "1s",
                  "first wait before redialling a mesh peer that dropped",
                  (b, v) -> b.redialInitial(duration("reconnect.initial", v))),
              of(
                  "reconnect.max",
                  "duration",
                  "30s",
                  "the redial wait doubles up to this",
                  (b, v) -> b.redialMax(duration("reconnect.max", v))),
              of(
                  "reconnect.jitter",
                  "number",
                  "0.2",
                  "each redial wait is scaled by a random factor in 1 ± this",
                  (b, v) -> b.redialJitter(dbl("reconnect.jitter", v))),
              of(
                  "reconnect.replaceAfter",
                  "duration",
                  "2m",
                  "a mesh peer whose redials fail this long is replaced (from a directory, else the"
                      + " registry)",
                  (b, v) -> b.replaceAfter(duration("reconnect.replaceAfter", v))),
              of(
                  "registry.maxPeers",
                  "int",
                  "10000",
                  "peers the registry keeps; beyond, the least reliable is evicted",
                  (b, v) -> b.registryMaxPeers(integer("registry.maxPeers", v))),
              of(
                  "registry.maxAge",
                  "duration",
                  "30d",
                  "a peer not seen for this long leaves the registry",
                  (b, v) -> b.registryMaxAge(duration("registry.maxAge", v))),
              of(
                  "registry.startDials",
                  "int",
                  "8",
                  "most reliable registry peers dialled at start, and per round when a topic's mesh"
                      + " is below D_lo",
                  (b, v) -> b.registryStartDials(integer("registry.startDials", v)))));

  private DiscoverySettings() {}

  /** Every discovery setting, applied to a {@link DiscoveryConfig.Builder}. */
  public static SettingsTable<DiscoveryConfig.Builder> table() {
    return SETTINGS;
  }

  private static DiscoveryConfig.Role role(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "peer" -> DiscoveryConfig.Role.PEER;
      case "directory" -> DiscoveryConfig.Role.DIRECTORY;
      default -> throw SettingValues.bad("node.role", v, "must be peer or directory");
    };
  }
}
