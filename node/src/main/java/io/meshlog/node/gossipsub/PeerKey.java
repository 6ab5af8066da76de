package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.Base58;
import java.util.Arrays;

/**
 * A peer as the router knows it: the binary peer id (multihash bytes), compared by content.
 *
 * <p>A stand-in for {@code io.meshlog.node.PeerId} until the router is wired to the host; the bytes
 * are the same, so the swap is mechanical. Immutable and thread-safe.
 */
public final class PeerKey {
  private final byte[] bytes;
  private final int hash;

  private PeerKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A key for these peer id bytes (copied). */
  public static PeerKey of(byte[] peerIdBytes) {
    if (peerIdBytes == null || peerIdBytes.length == 0) {
      throw new IllegalArgumentException("empty peer id");
    }
    return new PeerKey(peerIdBytes.clone());
  }

  /** The peer id bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The peer id bytes without copying; callers must not modify them. */
  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerKey && Arrays.equals(bytes, ((PeerKey) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Base58 text form, as libp2p prints peer ids. */
  @Override
  public String toString() {
    return Base58.encode(bytes);
  }
}
