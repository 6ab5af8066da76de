package io.meshlog.jmx.api;

import io.meshlog.jmx.view.GossipParams;

/**
 * {@code io.meshlog:type=Gossipsub}: mesh degrees and score thresholds, writable at run time. A
 * write that breaks a gossipsub rule fails with an {@link IllegalArgumentException} naming the
 * attribute, and changes nothing (see {@link GossipParams#validate()}).
 */
public interface GossipsubMXBean {

  int getD();

  void setD(int d);

  int getDLo();

  void setDLo(int dLo);

  int getDHi();

  void setDHi(int dHi);

  int getDLazy();

  void setDLazy(int dLazy);

  double getGossipThreshold();

  void setGossipThreshold(double v);

  double getPublishThreshold();

  void setPublishThreshold(double v);

  double getGraylistThreshold();

  void setGraylistThreshold(double v);

  double getAcceptPxThreshold();

  void setAcceptPxThreshold(double v);

  double getOpportunisticGraftThreshold();

  void setOpportunisticGraftThreshold(double v);
}
