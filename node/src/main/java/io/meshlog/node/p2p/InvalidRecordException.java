package io.meshlog.node.p2p;

/**
 * A signed envelope or peer record that must not be used: malformed, signed with a bad signature,
 * of another payload type or domain, or naming a peer other than its signer. The message is the
 * reason, fit for the journal. Cheap to throw: no stack trace, since peers can send these at will.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidRecordException(String reason) {
    super(reason, null, false, false);
  }
}
