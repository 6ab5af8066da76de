package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.GossipControl;
import io.meshlog.jmx.view.GossipParams;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.PeerScoreThresholds;

/**
 * The {@link GossipControl} of a running {@link Gossipsub} router: reads the configuration in force
 * and reconfigures the router, which validates the whole configuration (D_score and D_out against
 * the new D too) and changes nothing when it refuses.
 *
 * <p>Thread-safe.
 */
public final class GossipsubControl implements GossipControl {

  private final Gossipsub gossipsub;

  public GossipsubControl(Gossipsub gossipsub) {
    this.gossipsub = gossipsub;
  }

  @Override
  public GossipParams params() {
    GossipsubConfig c = gossipsub.config();
    PeerScoreThresholds t = c.thresholds();
    return new GossipParams(
        c.d(),
        c.dLo(),
        c.dHi(),
        c.dLazy(),
        t.gossipThreshold(),
        t.publishThreshold(),
        t.graylistThreshold(),
        t.acceptPxThreshold(),
        t.opportunisticGraftThreshold());
  }

  @Override
  public void apply(GossipParams p) {
    GossipsubConfig next =
        gossipsub.config().toBuilder()
            .d(p.d())
            .dLo(p.dLo())
            .dHi(p.dHi())
            .dLazy(p.dLazy())
            .thresholds(
                new PeerScoreThresholds(
                    p.gossipThreshold(),
                    p.publishThreshold(),
                    p.graylistThreshold(),
                    p.acceptPxThreshold(),
                    p.opportunisticGraftThreshold()))
            .build();
    gossipsub.reconfigure(next);
  }
}
