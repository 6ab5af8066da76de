package io.meshlog.node.gossipsub.internal;

import java.util.Arrays;

/** A message id as a map key: compared by content. Holds the array by reference; immutable. */
public final class MessageId {
  private final byte[] bytes;
  private final int hash;

  public MessageId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The id bytes; callers must not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId && Arrays.equals(bytes, ((MessageId) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
