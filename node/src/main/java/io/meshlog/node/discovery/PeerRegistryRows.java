package io.meshlog.node.discovery;

import io.meshlog.eventlog.projection.KeptRows;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer registry as rows of the projection store's kept column ({@link KeptRows}): one row per
 * peer and a checkpoint row, always written in the same atomic write, so the stored entries are
 * exactly the fold of the journal up to the checkpoint's index.
 *
 * <pre>
 *  key                    value (big-endian)
 *  0x00                   u8 format = 1, i64 journal index, i64 node sequence, i64 time ns
 *  0x01, peer id bytes    u8 format = 1, i64 first seen, i64 last seen, i64 last connected (-1),
 *                         i64 successes, i64 failures, i32 streak, u8 n,
 *                         n x (u8 source code, u16 length, multiaddr bytes without /p2p)
 * </pre>
 *
 * Source codes are fixed and never reused: 1 config, 2 directory-config, 3 directory, 4 px, 5
 * identify, 6 inbound. A row this meshlog cannot read (a newer format, a damaged value) is passed
 * over, deleted at the next save, and the peer learned again from what the journal holds, never an
 * error.
 *
 * <p>Not thread-safe: owned by the registry's owner (the reconnect thread, or a command).
 */
public final class PeerRegistryRows {

  private static final byte FORMAT = 1;
  private static final byte CHECKPOINT = 0;
  private static final byte PEER = 1;
  private static final PeerRegistry.Source[] BY_CODE = {
    null,
    PeerRegistry.Source.CONFIG,
    PeerRegistry.Source.DIRECTORY_CONFIG,
    PeerRegistry.Source.DIRECTORY,
    PeerRegistry.Source.PX,
    PeerRegistry.Source.IDENTIFY,
    PeerRegistry.Source.INBOUND
  };

  private final KeptRows rows;
  private long savedIndex = -1;

  /** Keys of rows the last load could not use, deleted by the next save. */
  private final List<byte[]> stale = new ArrayList<>();

  public PeerRegistryRows(KeptRows rows) {
    this.rows = rows;
  }

  /**
   * The registry stored in {@code rows} with this run's bounds applied, positioned after its
   * checkpoint; an empty registry at index -1 when nothing is stored. Fold the journal after {@link
   * PeerRegistry#lastIndex()} into it next.
   */
  public PeerRegistry load(PeerId self, int maxPeers, long maxAgeNanos) {
    PeerRegistry registry = new PeerRegistry(self, maxPeers, maxAgeNanos);
    long[] checkpoint = {-1, -1, Long.MIN_VALUE};
    List<PeerRegistry.Entry> entries = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    stale.clear();
    rows.forEach(
        (key, value) -> {
          if (key.length == 1 && key[0] == CHECKPOINT) {
            ByteBuffer b = ByteBuffer.wrap(value);
            if (value.length == 25 && b.get() == FORMAT) {
              checkpoint[0] = b.getLong();
              checkpoint[1] = b.getLong();
              checkpoint[2] = b.getLong();
            }
          } else {
            keys.add(key);
            PeerRegistry.Entry e = key.length > 1 && key[0] == PEER ? decode(key, value) : null;
            if (e != null && !e.peer().equals(self)) {
              entries.add(e);
            } else {
              stale.add(key);
            }
          }
        });
    if (checkpoint[0] < 0) {
      // Rows without a checkpoint are not a fold of anything: the journal is folded again from
      // its start, and the first save deletes them.
      stale.clear();
      stale.addAll(keys);
      return registry;
    }
    for (PeerRegistry.Entry e : entries) {
      registry.restore(e);
    }
    registry.restoreCheckpoint(checkpoint[0], checkpoint[1], checkpoint[2]);
    registry.bound();
    savedIndex = checkpoint[0];
    return registry;
  }

  /**
   * Writes what changed in {@code registry} since its last save, with its checkpoint, in one atomic
   * write. Nothing is written when it has folded nothing new.
   *
   * @return whether anything was written
   */
  public boolean save(PeerRegistry registry) {
    PeerRegistry.Changes changes = registry.takeChanges();
    if (registry.lastIndex() == savedIndex
        && changes.entries().isEmpty()
        && changes.removed().isEmpty()
        && stale.isEmpty()) {
      return false;
    }
    List<byte[][]> puts = new ArrayList<>();
    for (PeerRegistry.Entry e : changes.entries()) {
      puts.add(new byte[][] {key(e.peer()), encode(e)});
    }
    puts.add(
        new byte[][] {
          new byte[] {CHECKPOINT},
          ByteBuffer.allocate(25)
              .put(FORMAT)
              .putLong(registry.lastIndex())
              .putLong(registry.lastSequence())
              .putLong(registry.timeNanos())
              .array()
        });
    List<byte[]> deletes = new ArrayList<>(stale);
    for (PeerId p : changes.removed()) {
      deletes.add(key(p));
    }
    rows.write(puts, deletes);
    stale.clear();
    savedIndex = registry.lastIndex();
    return true;
  }

  private static byte[] key(PeerId peer) {
    byte[] id = peer.bytes();
    byte[] key = new byte[id.length + 1];
    key[0] = PEER;
    System.arraycopy(id, 0, key, 1, id.length);
    return key;
  }

  /** The stored value of {@code e}'s row (its key is 0x01 then the peer id's bytes). */
  public static byte[] encode(PeerRegistry.Entry e) {
    List<byte[]> addresses = new ArrayList<>();
    int size = 1 + 5 * 8 + 4 + 1;
    for (Multiaddr a : e.addresses().keySet()) {
      byte[] b = a.bytes();
      addresses.add(b);
      size += 3 + b.length;
    }
    ByteBuffer out =
        ByteBuffer.allocate(size)
            .put(FORMAT)
            .putLong(e.firstSeenNanos())
            .putLong(e.lastSeenNanos())
            .putLong(e.lastConnectedNanos())
            .putLong(e.successes())
            .putLong(e.failures())
            .putInt(e.failureStreak())
            .put((byte) addresses.size());
    int i = 0;
    for (PeerRegistry.Source s : e.addresses().values()) {
      byte[] b = addresses.get(i++);
      out.put(code(s)).putShort((short) b.length).put(b);
    }
    return out.array();
  }

  static PeerRegistry.Entry decode(byte[] key, byte[] value) {
    try {
      byte[] id = new byte[key.length - 1];
      System.arraycopy(key, 1, id, 0, id.length);
      ByteBuffer b = ByteBuffer.wrap(value);
      if (b.get() != FORMAT) {
        return null;
      }
      long firstSeen = b.getLong();
      long lastSeen = b.getLong();
      long lastConnected = b.getLong();
      long successes = b.getLong();
      long failures = b.getLong();
      int streak = b.getInt();
      int n = b.get() & 0xFF;
      Map<Multiaddr, PeerRegistry.Source> addresses = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        int code = b.get() & 0xFF;
        byte[] address = new byte[b.getShort() & 0xFFFF];
        b.get(address);
        if (code > 0 && code < BY_CODE.length) {
          addresses.put(Multiaddr.fromBytes(address), BY_CODE[code]);
        }
      }
      return PeerRegistry.Entry.restored(
          PeerId.fromBytes(id),
          firstSeen,
          lastSeen,
          lastConnected,
          successes,
          failures,
          streak,
          addresses);
    } catch (RuntimeException e) {
      return null; // learned again from what the journal still holds
    }
  }

  private static byte code(PeerRegistry.Source s) {
    for (int c = 1; c < BY_CODE.length; c++) {
      if (BY_CODE[c] == s) {
        return (byte) c;
      }
    }
    throw new IllegalArgumentException("no code for source " + s);
  }
}
