package io.meshlog.node.p2p.internal.identify;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerRecord;
import java.util.List;

/**
 * The signed peer record identify sends in its {@code signedPeerRecord} field: signed once per set
 * of listen addresses (signing per identify exchange would cost an Ed25519 signature per
 * connection), re-signed with a larger {@code seq} when the addresses change. The seq is the wall
 * time in nanoseconds, kept strictly rising.
 *
 * <p>Thread-safe.
 */
public final class SignedRecordCache {

  private final Identity identity;
  private List<Multiaddr> signedFor;
  private byte[] envelope;
  private long seq;

  public SignedRecordCache(Identity identity) {
    this.identity = identity;
  }

  /** The envelope bytes of a record of {@code addresses} (the caller must not change them). */
  public synchronized byte[] envelopeFor(List<Multiaddr> addresses) {
    if (envelope == null || !addresses.equals(signedFor)) {
      List<Multiaddr> copy = List.copyOf(addresses);
      seq = Math.max(seq + 1, System.currentTimeMillis() * 1_000_000L);
      envelope = PeerRecord.sign(identity, copy, seq).bytes();
      signedFor = copy;
    }
    return envelope;
  }
}
