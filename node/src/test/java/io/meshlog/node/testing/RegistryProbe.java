package io.meshlog.node.testing;

import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.PeerRegistryRows;
import io.meshlog.node.p2p.PeerId;
import java.util.List;

/**
 * What a running node's peer registry holds in its two places: the rows stored in its projections,
 * and what a fold of its journal alone (as far as retention left it) would know. Unbounded, so a
 * test asks only whether a peer is there.
 */
public final class RegistryProbe {
  private RegistryProbe() {}

  /** Whether {@code n}'s stored registry holds an address of {@code peer}. */
  public static boolean storedKnows(MeshlogNode n, PeerId peer) {
    PeerRegistry stored =
        new PeerRegistryRows(n.projections().peerRegistry())
            .load(n.peerId(), Integer.MAX_VALUE, Long.MAX_VALUE);
    return knows(stored.entries(0), peer);
  }

  /**
   * Whether a fold of what {@code n}'s journal still holds knows an address of {@code peer}; true
   * (not shown to have forgotten) when the fold could not finish. A reader racing a running node's
   * 1 s cycles and retention can still be told that the end of a cycle is a damaged header
   * (docs/journal.md, known issues): a test waiting for the journal to forget polls again, and one
   * that asserts it forgot does so on a journal at rest.
   */
  public static boolean journalAloneKnows(MeshlogNode n, PeerId peer) {
    try (JournalReader r = Journals.openReader(n.config().dataDir().resolve("journal"))) {
      return knows(
          new PeerRegistry(n.peerId(), Integer.MAX_VALUE, Long.MAX_VALUE).catchUp(r).entries(0),
          peer);
    } catch (JournalException e) {
      return true;
    }
  }

  private static boolean knows(List<PeerRegistry.Entry> entries, PeerId peer) {
    return entries.stream().anyMatch(e -> e.peer().equals(peer) && !e.addresses().isEmpty());
  }
}
