package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionException;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.PeerRegistryRows;
import io.meshlog.node.p2p.Multiaddr;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer registry of a node: the one stored in its projections, caught up with the journal
 * records after its checkpoint (the registry is a fold of journaled events), both read-only, so it
 * answers for a running node and a stopped one alike without touching either, and still knows the
 * peers whose records retention deleted. Without stored projections the whole journal is folded.
 * The library side of {@code meshlog peers}. Bounds are the defaults of {@code registry.maxPeers}
 * and {@code registry.maxAge}.
 */
public final class PeersReport {

  /** Output formats. */
  public enum Format {
    text,
    json
  }

  private PeersReport() {}

  /**
   * The registry as of {@code nowNanos}, most reliable first.
   *
   * @throws io.meshlog.eventlog.JournalException when {@code dataDir} holds no readable journal
   */
  public static List<PeerRegistry.Entry> read(Path dataDir, long nowNanos) {
    DiscoveryConfig defaults = DiscoveryConfig.defaults();
    int maxPeers = defaults.registryMaxPeers();
    long maxAge = defaults.registryMaxAge().toNanos();
    try (JournalReader reader = Journals.openReader(dataDir.resolve("journal"))) {
      PeerRegistry registry = stored(dataDir.resolve("projections"), maxPeers, maxAge);
      if (registry == null) {
        registry = new PeerRegistry(null, maxPeers, maxAge);
      } else if (registry.lastIndex() >= 0) {
        reader.toAfter(registry.lastIndex());
      }
      registry.catchUp(reader).prune(nowNanos);
      return registry.entries(nowNanos);
    }
  }

  /**
   * The registry stored in the projections (read-only, so a running node's too, as it had last
   * stored it), or null when there are none to read: then the whole journal is folded.
   */
  private static PeerRegistry stored(Path projections, int maxPeers, long maxAge) {
    if (!Files.isDirectory(projections)) {
      return null;
    }
    try (Projections p = Projections.openReadOnly(projections)) {
      return new PeerRegistryRows(p.peerRegistry()).load(null, maxPeers, maxAge);
    } catch (ProjectionException e) {
      return null;
    }
  }

  /** Writes {@code rows} as of {@code nowNanos}. */
  public static void write(
      List<PeerRegistry.Entry> rows, long nowNanos, Format format, PrintWriter out) {
    if (format == Format.json) {
      writeJson(rows, nowNanos, out);
    } else {
      out.printf("%d peers known%n", rows.size());
      if (!rows.isEmpty()) {
        out.printf(
            "%-52s %-11s %-6s %-24s %-24s %-20s %s%n",
            "PEER", "RELIABILITY", "STREAK", "LAST SEEN", "LAST CONNECTED", "SOURCES", "ADDRESSES");
        for (PeerRegistry.Entry e : rows) {
          out.printf(
              "%-52s %-11.3f %-6d %-24s %-24s %-20s %s%n",
              e.peer().toBase58(),
              e.reliability(nowNanos),
              e.failureStreak(),
              instant(e.lastSeenNanos()),
              e.lastConnectedNanos() < 0 ? "never" : instant(e.lastConnectedNanos()),
              String.join(",", sources(e)),
              String.join(" ", e.addresses().keySet().stream().map(Multiaddr::toString).toList()));
        }
      }
    }
    out.flush();
  }

  private static Set<String> sources(PeerRegistry.Entry e) {
    Set<String> out = new LinkedHashSet<>();
    for (PeerRegistry.Source s : e.addresses().values()) {
      out.add(s.label());
    }
    return out;
  }

  private static String instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos).toString();
  }

  private static void writeJson(List<PeerRegistry.Entry> rows, long nowNanos, PrintWriter out) {
    ObjectMapper mapper =
        new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // one JSON line
    ObjectNode root = mapper.createObjectNode();
    root.put("asOf", instant(nowNanos));
    ArrayNode peers = root.putArray("peers");
    for (PeerRegistry.Entry e : rows) {
      ObjectNode p =
          peers
              .addObject()
              .put("peer", e.peer().toBase58())
              .put("reliability", e.reliability(nowNanos))
              .put("firstSeen", instant(e.firstSeenNanos()))
              .put("lastSeen", instant(e.lastSeenNanos()));
      if (e.lastConnectedNanos() < 0) {
        p.putNull("lastConnected");
      } else {
        p.put("lastConnected", instant(e.lastConnectedNanos()));
      }
      p.put("successes", e.successes())
          .put("failures", e.failures())
          .put("failureStreak", e.failureStreak())
          .put("directory", e.isDirectory());
      ArrayNode addrs = p.putArray("addresses");
      for (Map.Entry<Multiaddr, PeerRegistry.Source> a : e.addresses().entrySet()) {
        addrs.addObject().put("address", a.getKey().toString()).put("source", a.getValue().label());
      }
    }
    try {
      mapper.writeValue(out, root);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    out.println();
  }
}
