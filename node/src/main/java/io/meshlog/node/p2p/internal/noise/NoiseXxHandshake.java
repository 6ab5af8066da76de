package io.meshlog.node.p2p.internal.noise;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The Noise XX handshake state machine for {@code Noise_XX_25519_ChaChaPoly_SHA256} (Noise spec rev
 * 34), with opaque payloads and no I/O:
 *
 * <pre>
 *   -> e                    message 0, written by the initiator
 *   <- e, ee, s, es         message 1, written by the responder
 *   -> s, se                message 2, written by the initiator; then Split()
 * </pre>
 *
 * Each side alternates {@link #writeMessage} and {@link #readMessage} in that order. After the
 * third message {@link #isComplete()} is true and the transport cipher states are available.
 *
 * <p>Not thread-safe: one handshake, one owner.
 */
final class NoiseXxHandshake {

  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  private static final int DH = NoiseDh.KEY_BYTES;
  private static final int TAG = NoiseCipherState.TAG_BYTES;

  private final boolean initiator;
  private final NoiseDh.KeyPair s;
  private final NoiseDh.KeyPair e;
  private final NoiseSymmetricState state = new NoiseSymmetricState(PROTOCOL_NAME);
  private byte[] rs;
  private byte[] re;
  private int message;
  private NoiseCipherState[] split;

  NoiseXxHandshake(boolean initiator, NoiseDh.KeyPair staticKeys, byte[] prologue) {
    this(initiator, staticKeys, NoiseDh.generate(), prologue);
  }

  /** With a fixed ephemeral key pair: only test vectors should need this. */
  NoiseXxHandshake(
      boolean initiator, NoiseDh.KeyPair staticKeys, NoiseDh.KeyPair ephemeral, byte[] prologue) {
    this.initiator = initiator;
    this.s = staticKeys;
    this.e = ephemeral;
    state.mixHash(prologue);
  }

  /** Whether the next step is ours to write (else we wait to read). */
  boolean isMyTurn() {
    return message < 3 && (message % 2 == 0) == initiator;
  }

  boolean isComplete() {
    return message == 3;
  }

  /** Writes the next handshake message carrying {@code payload}. */
  byte[] writeMessage(byte[] payload) throws NoiseException {
    if (!isMyTurn()) {
      throw new IllegalStateException("not our turn to write (message " + message + ")");
    }
    byte[] out;
    switch (message) {
      case 0:
        state.mixHash(e.publicKey());
        out = concat(e.publicKey(), state.encryptAndHash(payload));
        break;
      case 1:
        state.mixHash(e.publicKey());
        state.mixKey(dh(e, re)); // ee
        byte[] encryptedS = state.encryptAndHash(s.publicKey());
        state.mixKey(dh(s, re)); // es
        out = concat(e.publicKey(), encryptedS, state.encryptAndHash(payload));
        break;
      default:
        byte[] encryptedStatic = state.encryptAndHash(s.publicKey());
        state.mixKey(dh(s, re)); // se
        out = concat(encryptedStatic, state.encryptAndHash(payload));
        break;
    }
    advance();
    return out;
  }

  /**
   * Reads the next handshake message and returns its payload.
   *
   * @throws NoiseException if the message is too short, fails authentication, or carries a
   *     low-order key
   */
  byte[] readMessage(byte[] in) throws NoiseException {
    if (isMyTurn() || isComplete()) {
      throw new IllegalStateException("not our turn to read (message " + message + ")");
    }
    byte[] payload;
    switch (message) {
      case 0:
        requireLength(in, DH);
        re = Arrays.copyOfRange(in, 0, DH);
        state.mixHash(re);
        payload = state.decryptAndHash(Arrays.copyOfRange(in, DH, in.length));
        break;
      case 1:
        requireLength(in, DH + DH + TAG + TAG);
        re = Arrays.copyOfRange(in, 0, DH);
        state.mixHash(re);
        state.mixKey(dh(e, re)); // ee
        rs = state.decryptAndHash(Arrays.copyOfRange(in, DH, DH + DH + TAG));
        state.mixKey(dh(e, rs)); // es
        payload = state.decryptAndHash(Arrays.copyOfRange(in, DH + DH + TAG, in.length));
        break;
      default:
        requireLength(in, DH + TAG + TAG);
        rs = state.decryptAndHash(Arrays.copyOfRange(in, 0, DH + TAG));
        state.mixKey(dh(e, rs)); // se
        payload = state.decryptAndHash(Arrays.copyOfRange(in, DH + TAG, in.length));
        break;
    }
    advance();
    return payload;
  }

  /** The remote static public key, known after the second message (initiator) or third. */
  byte[] remoteStaticKey() {
    return rs == null ? null : rs.clone();
  }

  byte[] localStaticKey() {
    return s.publicKey().clone();
  }

  byte[] handshakeHash() {
    return state.handshakeHash();
  }

  /** The cipher state for what this side sends; only once complete. */
  NoiseCipherState sendCipher() {
    requireComplete();
    return initiator ? split[0] : split[1];
  }

  /** The cipher state for what this side receives; only once complete. */
  NoiseCipherState receiveCipher() {
    requireComplete();
    return initiator ? split[1] : split[0];
  }

  private void advance() {
    message++;
    if (message == 3) {
      split = state.split();
    }
  }

  private void requireComplete() {
    if (split == null) {
      throw new IllegalStateException("handshake not complete");
    }
  }

  private void requireLength(byte[] in, int min) throws NoiseException {
    if (in.length < min) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE,
          "handshake message " + message + " has " + in.length + " bytes, needs at least " + min);
    }
  }

  private static byte[] dh(NoiseDh.KeyPair local, byte[] remote) throws NoiseException {
    try {
      return NoiseDh.dh(local.privateKey(), remote);
    } catch (GeneralSecurityException ex) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE, "unusable X25519 public key", ex);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, offset, p.length);
      offset += p.length;
    }
    return out;
  }
}
