package io.meshlog.node.p2p.internal.identify;

/** An identify message that could not be accepted; the message is the reason, for the journal. */
public final class IdentifyException extends Exception {
  private static final long serialVersionUID = 1L;

  public IdentifyException(String reason) {
    super(reason, null, false, false);
  }
}
