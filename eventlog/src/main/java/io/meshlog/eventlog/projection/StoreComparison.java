package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Base58;
import java.util.Arrays;
import java.util.HexFormat;

/** Compares two projection stores column by column, key by key, byte for byte. */
final class StoreComparison {

  private StoreComparison() {}

  /**
   * Views first, the checkpoint last: a differing row says more to an operator than a differing
   * applied index. Kept columns (the peer registry) are never compared: a rebuild does not recreate
   * them.
   */
  private static final Column[] ORDER = {
    Column.PEER_STATS, Column.TOPIC_STATS, Column.ORDERING, Column.MESSAGE_IDS, Column.META
  };

  /** The first difference between {@code live} and {@code rebuilt}, or null when identical. */
  static String firstDifference(ProjectionStore live, ProjectionStore rebuilt) {
    for (Column column : ORDER) {
      try (ProjectionStore.Cursor a = live.cursor(column, null);
          ProjectionStore.Cursor b = rebuilt.cursor(column, null)) {
        while (a.valid() || b.valid()) {
          if (!b.valid()) {
            return column + ": live has extra key " + show(column, a.key());
          }
          if (!a.valid()) {
            return column + ": live lacks key " + show(column, b.key());
          }
          byte[] ka = a.key();
          byte[] kb = b.key();
          int order = Arrays.compareUnsigned(ka, kb);
          if (order < 0) {
            return column + ": live has extra key " + show(column, ka);
          }
          if (order > 0) {
            return column + ": live lacks key " + show(column, kb);
          }
          byte[] va = a.value();
          byte[] vb = b.value();
          if (!Arrays.equals(va, vb)) {
            return column
                + ": key "
                + show(column, ka)
                + " differs: live "
                + describe(column, ka, va)
                + ", rebuilt "
                + describe(column, kb, vb);
          }
          a.next();
          b.next();
        }
      }
    }
    return null;
  }

  private static String show(Column column, byte[] key) {
    switch (column) {
      case PEER_STATS:
        return Base58.encode(key);
      case TOPIC_STATS:
      case META:
        return new String(key, java.nio.charset.StandardCharsets.UTF_8);
      default:
        return HexFormat.of().formatHex(key);
    }
  }

  private static String describe(Column column, byte[] key, byte[] value) {
    try {
      switch (column) {
        case PEER_STATS:
          return PeerRow.decode(key, value).toStats().toString();
        case TOPIC_STATS:
          return TopicRow.decode(key, value).toStats().toString();
        default:
          return HexFormat.of().formatHex(value);
      }
    } catch (RuntimeException e) {
      return HexFormat.of().formatHex(value);
    }
  }
}
