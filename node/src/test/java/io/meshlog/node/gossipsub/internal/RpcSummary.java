package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;

/**
 * A compact text of an RPC, for tests that check a decoded RPC in one assertion (the journal keeps
 * binary part counts and ids instead, see GossipTracer): counts of each part, the topics of
 * GRAFT/PRUNE, and a short prefix of the first IHAVE/IWANT id, e.g. {@code "sub=1 pub=2 ihave=1/40
 * iwant=3 graft=[chat] prune=[news]"}. Parts that are empty are left out.
 */
final class RpcSummary {
  private RpcSummary() {}

  static String of(Rpc rpc) {
    StringBuilder sb = new StringBuilder(48);
    if (!rpc.subscriptions().isEmpty()) {
      sb.append("sub=").append(rpc.subscriptions().size()).append(' ');
    }
    if (!rpc.publish().isEmpty()) {
      sb.append("pub=").append(rpc.publish().size()).append(' ');
    }
    Rpc.Control c = rpc.control();
    if (c != null) {
      if (!c.ihave().isEmpty()) {
        int ids = 0;
        byte[] first = null;
        for (Rpc.IHave h : c.ihave()) {
          ids += h.messageIds().size();
          if (first == null && !h.messageIds().isEmpty()) {
            first = h.messageIds().get(0);
          }
        }
        sb.append("ihave=").append(c.ihave().size()).append('/').append(ids);
        appendIdTail(sb, first);
        sb.append(' ');
      }
      if (!c.iwant().isEmpty()) {
        int ids = 0;
        byte[] first = null;
        for (Rpc.IWant w : c.iwant()) {
          ids += w.messageIds().size();
          if (first == null && !w.messageIds().isEmpty()) {
            first = w.messageIds().get(0);
          }
        }
        sb.append("iwant=").append(ids);
        appendIdTail(sb, first);
        sb.append(' ');
      }
      if (!c.graft().isEmpty()) {
        sb.append("graft=[");
        for (int i = 0; i < c.graft().size(); i++) {
          sb.append(i == 0 ? "" : ",").append(c.graft().get(i).topic());
        }
        sb.append("] ");
      }
      if (!c.prune().isEmpty()) {
        sb.append("prune=[");
        for (int i = 0; i < c.prune().size(); i++) {
          Rpc.Prune p = c.prune().get(i);
          sb.append(i == 0 ? "" : ",").append(p.topic());
          if (!p.peers().isEmpty()) {
            sb.append(" px=").append(p.peers().size());
          }
        }
        sb.append("] ");
      }
      if (!c.idontwant().isEmpty()) {
        int ids = 0;
        for (Rpc.IDontWant d : c.idontwant()) {
          ids += d.messageIds().size();
        }
        sb.append("idontwant=").append(ids).append(' ');
      }
    }
    if (sb.length() > 0) {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  /** The last 6 bytes of an id in hex: ids end in the seqno, so the tail tells them apart. */
  private static void appendIdTail(StringBuilder sb, byte[] id) {
    if (id == null) {
      return;
    }
    sb.append(" (..");
    for (int i = Math.max(0, id.length - 6); i < id.length; i++) {
      sb.append(Character.forDigit((id[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(id[i] & 0xf, 16));
    }
    sb.append(')');
  }
}
