package io.meshlog.jmx.adapter;

import io.meshlog.export.ExportCounter;
import io.meshlog.jmx.MeshlogJmx;
import io.meshlog.jmx.MeshlogMetrics;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeCounter;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.sync.SyncCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exports every counter a running node declares, each module's enum once:
 *
 * <pre>
 *   JournalCounter, ProjectionCounter   node.journal(), node.projections()   (EventLogMeters)
 *   NodeCounter                         node.counter(c)
 *   TransportCounter                    node.host().counter(c)
 *   GossipCounter                       node.gossipsub().counter(c)
 *   ExportCounter                       node.exportCounters()   (zero when no shipper runs)
 *   SyncCounter                         node.syncCounters()     (zero when sync is off)
 * </pre>
 *
 * and a gauge of the free space on the journal's file system ({@code
 * meshlog_journal_disk_free_bytes}), for the disk alert.
 *
 * <p>The jmx module's own {@link JmxCounter}s are bound by {@link MeshlogJmx} and {@link
 * MeshlogMetrics}. Values are read when a console or scraper asks.
 */
public final class NodeMeters {

  private NodeMeters() {}

  /**
   * Binds every counter of {@code node} to {@code metrics}.
   *
   * @throws IllegalStateException when the node's counters are bound to {@code metrics} already
   */
  public static void bind(MeshlogMetrics metrics, MeshlogNode node) {
    EventLogMeters.bind(metrics, node.journal(), node::projections);
    metrics.bind(NodeCounter.class, node::counter);
    metrics.bind(TransportCounter.class, c -> node.host().counter(c));
    metrics.bind(GossipCounter.class, c -> node.gossipsub().counter(c));
    metrics.bind(ExportCounter.class, c -> node.exportCounters().get(c));
    metrics.bind(SyncCounter.class, c -> node.syncCounters().get(c));
    Path journal = node.journal().dir();
    metrics.gauge(
        "meshlog.journal.disk.free.bytes",
        "bytes free for the journal on its file system (-1 when unreadable)",
        () -> usableBytes(journal));
  }

  private static double usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }
}
