package io.meshlog.jmx.internal;

import io.meshlog.jmx.view.PeerInfo;
import java.util.List;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The open type of the Peers table: one row per peer, keyed by peer id. Topics are one
 * comma-separated string because consoles show arrays inside table cells as an opaque value.
 */
final class PeersOpenType {

  private static final String[] COLUMNS = {
    "peerId",
    "direction",
    "connectionType",
    "remoteAddress",
    "latencyMillis",
    "reachability",
    "agent",
    "score",
    "topics",
    "messagesIn",
    "messagesOut",
    "bytesIn",
    "bytesOut",
    "duplicates",
    "graylisted",
    "failureStreak",
    "nextDialAt",
    "addressSource"
  };
  private static final OpenType<?>[] TYPES = {
    SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.DOUBLE,
    SimpleType.STRING, SimpleType.STRING, SimpleType.DOUBLE, SimpleType.STRING, SimpleType.LONG,
    SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING,
    SimpleType.LONG, SimpleType.STRING, SimpleType.STRING
  };
  static final CompositeType ROW;
  static final TabularType TABLE;

  static {
    try {
      ROW = new CompositeType("io.meshlog.Peer", "one connected peer", COLUMNS, COLUMNS, TYPES);
      TABLE = new TabularType("io.meshlog.Peers", "connected peers", ROW, new String[] {"peerId"});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private PeersOpenType() {}

  static TabularData of(List<PeerInfo> peers) {
    TabularDataSupport table = new TabularDataSupport(TABLE);
    try {
      for (PeerInfo p : peers) {
        Object[] values = {
          nonNull(p.peerId()),
          nonNull(p.direction()),
          nonNull(p.connectionType()),
          nonNull(p.remoteAddress()),
          p.latencyMillis(),
          nonNull(p.reachability()),
          nonNull(p.agent()),
          p.score(),
          String.join(",", p.topics()),
          p.messagesIn(),
          p.messagesOut(),
          p.bytesIn(),
          p.bytesOut(),
          p.duplicates(),
          nonNull(p.graylisted()),
          p.failureStreak(),
          nonNull(p.nextDialAt()),
          nonNull(p.addressSource())
        };
        CompositeDataSupport row = new CompositeDataSupport(ROW, COLUMNS, values);
        // Two views of one peer (a second connection racing the first) must not fail the read.
        if (!table.containsKey(table.calculateIndex(row))) {
          table.put(row);
        }
      }
    } catch (OpenDataException e) {
      throw new IllegalStateException(e);
    }
    return table;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
