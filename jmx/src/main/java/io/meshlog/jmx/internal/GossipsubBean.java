package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.GossipsubMXBean;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.GossipControl;
import io.meshlog.jmx.view.GossipParams;
import java.util.function.UnaryOperator;

/**
 * {@code io.meshlog:type=Gossipsub} over a {@link GossipControl}. Each write copies the current
 * parameters with one change, validates the copy and applies it whole; a bad value throws {@link
 * IllegalArgumentException} naming the attribute and changes nothing.
 *
 * <p>Thread-safe: writes are serialized so two consoles cannot interleave read-modify-write.
 */
public final class GossipsubBean implements GossipsubMXBean {

  private final GossipControl control;
  private final ViewCalls calls;

  public GossipsubBean(GossipControl control, CounterSet<JmxCounter> counters) {
    this.control = control;
    this.calls = new ViewCalls(counters);
  }

  private GossipParams params() {
    return calls.call(control::params);
  }

  private synchronized void change(UnaryOperator<GossipParams> change) {
    GossipParams next = change.apply(params()).validate();
    calls.run(() -> control.apply(next));
  }

  @Override
  public int getD() {
    return params().d();
  }

  @Override
  public void setD(int d) {
    change(p -> p.withD(d));
  }

  @Override
  public int getDLo() {
    return params().dLo();
  }

  @Override
  public void setDLo(int dLo) {
    change(p -> p.withDLo(dLo));
  }

  @Override
  public int getDHi() {
    return params().dHi();
  }

  @Override
  public void setDHi(int dHi) {
    change(p -> p.withDHi(dHi));
  }

  @Override
  public int getDLazy() {
    return params().dLazy();
  }

  @Override
  public void setDLazy(int dLazy) {
    change(p -> p.withDLazy(dLazy));
  }

  @Override
  public double getGossipThreshold() {
    return params().gossipThreshold();
  }

  @Override
  public void setGossipThreshold(double v) {
    change(p -> p.withGossipThreshold(v));
  }

  @Override
  public double getPublishThreshold() {
    return params().publishThreshold();
  }

  @Override
  public void setPublishThreshold(double v) {
    change(p -> p.withPublishThreshold(v));
  }

  @Override
  public double getGraylistThreshold() {
    return params().graylistThreshold();
  }

  @Override
  public void setGraylistThreshold(double v) {
    change(p -> p.withGraylistThreshold(v));
  }

  @Override
  public double getAcceptPxThreshold() {
    return params().acceptPxThreshold();
  }

  @Override
  public void setAcceptPxThreshold(double v) {
    change(p -> p.withAcceptPxThreshold(v));
  }

  @Override
  public double getOpportunisticGraftThreshold() {
    return params().opportunisticGraftThreshold();
  }

  @Override
  public void setOpportunisticGraftThreshold(double v) {
    change(p -> p.withOpportunisticGraftThreshold(v));
  }
}
