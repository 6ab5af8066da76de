package io.meshlog.reconciliation.order;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A gossip message id as a map key: equality and hash over the bytes, which are copied on the way
 * in so that a caller's reused array cannot change a key.
 */
public final class MessageKey implements Comparable<MessageKey> {
  private final byte[] bytes;
  private final int hash;

  private MessageKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * @throws IllegalArgumentException when {@code id} is null or empty
   */
  public static MessageKey of(byte[] id) {
    if (id == null || id.length == 0) {
      throw new IllegalArgumentException("a message id is required");
    }
    return new MessageKey(id.clone());
  }

  /** A copy of the id's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The id in lower-case hex, as {@code journal dump} prints it. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(MessageKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageKey m && hash == m.hash && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}
