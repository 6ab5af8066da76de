package io.meshlog.jmx.view;

import io.meshlog.node.gossipsub.MeshDegrees;
import io.meshlog.node.gossipsub.PeerScoreThresholds;

/**
 * Gossipsub mesh degrees and score thresholds, named as the {@code io.meshlog:type=Gossipsub}
 * attributes are. The rules are gossipsub v1.1's.
 *
 * @param d D, the target mesh degree (&gt;= 1)
 * @param dLo D_lo, below which a heartbeat grafts (1..D)
 * @param dHi D_hi, above which a heartbeat prunes (&gt;= D)
 * @param dLazy D_lazy, peers gossiped to per heartbeat (&gt;= 0)
 * @param gossipThreshold no gossip below this score (&lt;= 0)
 * @param publishThreshold no flood publishing below this (&lt;= gossipThreshold)
 * @param graylistThreshold every RPC ignored below this (&lt;= publishThreshold)
 * @param acceptPxThreshold PX followed only above this (&gt;= 0)
 * @param opportunisticGraftThreshold opportunistic grafting below this median (&gt;= 0)
 */
public record GossipParams(
    int d,
    int dLo,
    int dHi,
    int dLazy,
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  /**
   * Checks the rules between the parameters.
   *
   * @return this
   * @throws IllegalArgumentException naming the attribute at fault and its value
   */
  public GossipParams validate() {
    // the degree rules are the router's own; only the names here are the attributes'
    MeshDegrees.check(d, dLo, dHi, dLazy)
        .ifPresent(
            v ->
                check(
                    false,
                    Character.toUpperCase(v.degree().charAt(0)) + v.degree().substring(1),
                    v.value() + " (" + v.rule() + ")"));
    // so are the threshold rules; an attribute is named <Threshold>Threshold
    PeerScoreThresholds.check(
            gossipThreshold,
            publishThreshold,
            graylistThreshold,
            acceptPxThreshold,
            opportunisticGraftThreshold)
        .ifPresent(
            v ->
                check(
                    false,
                    Character.toUpperCase(v.threshold().charAt(0))
                        + v.threshold().substring(1)
                        + "Threshold",
                    v.value() + " (" + v.rule() + ")"));
    return this;
  }

  public GossipParams withD(int v) {
    return new GossipParams(
        v,
        dLo,
        dHi,
        dLazy,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withDLo(int v) {
    return new GossipParams(
        d,
        v,
        dHi,
        dLazy,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withDHi(int v) {
    return new GossipParams(
        d,
        dLo,
        v,
        dLazy,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withDLazy(int v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        v,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withGossipThreshold(double v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        dLazy,
        v,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withPublishThreshold(double v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        dLazy,
        gossipThreshold,
        v,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withGraylistThreshold(double v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        dLazy,
        gossipThreshold,
        publishThreshold,
        v,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  public GossipParams withAcceptPxThreshold(double v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        dLazy,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        v,
        opportunisticGraftThreshold);
  }

  public GossipParams withOpportunisticGraftThreshold(double v) {
    return new GossipParams(
        d,
        dLo,
        dHi,
        dLazy,
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        v);
  }

  private static void check(boolean ok, String attribute, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid Gossipsub attribute " + attribute + ": " + value);
    }
  }
}
