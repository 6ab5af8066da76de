package io.meshlog.node.p2p.internal.noise;

import java.io.IOException;

/**
 * The Noise channel failed; {@link #reason()} says how. The handler fires it through {@code
 * exceptionCaught} and closes the connection.
 */
public final class NoiseException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Why a Noise channel failed. */
  public enum Reason {
    /** A handshake message or payload does not decode. */
    MALFORMED_HANDSHAKE,
    /** A message failed authentication (tampered, or keys do not agree). */
    DECRYPT_FAILED,
    /** The remote's identity key does not sign its Noise static key, or is unsupported. */
    BAD_SIGNATURE,
    /** The remote is authenticated but is not the peer that was dialled. */
    PEER_ID_MISMATCH,
    /** A frame is shorter than its authentication tag or larger than allowed. */
    BAD_FRAME_LENGTH,
    /** The connection closed before the handshake completed. */
    HANDSHAKE_TRUNCATED,
    /** 2^64-1 messages were sent or received with one key. */
    NONCE_EXHAUSTED
  }

  private final Reason reason;

  public NoiseException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public NoiseException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
