package io.meshlog.node.p2p.internal.noise;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The libp2p layer of the Noise handshake, without I/O: drives {@link NoiseXxHandshake}, signs the
 * local Noise static key with the node's identity, and authenticates the remote's.
 *
 * <pre>
 *   initiator                                   responder
 *   start() ─── msg 1: e ─────────────────────► onMessage() ─┐
 *   onMessage() ◄── msg 2: e, ee, s, es, payload ───────────────┘
 *     verifies responder, then
 *     ─── msg 3: s, se, payload ───────────────► onMessage(): verifies initiator; complete
 *   complete
 * </pre>
 *
 * <p>A fresh Noise static key is generated per handshake (the spec allows it, and it keeps no
 * long-lived X25519 secret around); it costs one key generation per connection.
 *
 * <p>Not thread-safe: owned by one connection's event loop.
 */
final class SecureHandshake {

  private static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];

  private final Identity local;
  private final boolean initiator;
  private final PeerId expectedRemote;
  private final List<String> localStreamMuxers;
  private final NoiseXxHandshake xx;
  private PeerId remotePeer;
  private List<String> remoteStreamMuxers = List.of();

  /**
   * @param expectedRemote the peer that must answer, or null to accept any authenticated peer
   * @param localStreamMuxers muxers to offer in the payload extensions; keep empty unless the
   *     transport implements early muxer negotiation (a js-libp2p peer that sees a muxer it knows
   *     there skips the multistream-select muxer round)
   */
  SecureHandshake(
      Identity local, boolean initiator, PeerId expectedRemote, List<String> localStreamMuxers) {
    this.local = local;
    this.initiator = initiator;
    this.expectedRemote = expectedRemote;
    this.localStreamMuxers = List.copyOf(localStreamMuxers);
    this.xx = new NoiseXxHandshake(initiator, NoiseDh.generate(), EMPTY);
  }

  /** The first message if this side initiates, else null. */
  byte[] start() throws NoiseException {
    return initiator ? xx.writeMessage(EMPTY) : null;
  }

  /**
   * Consumes one handshake message from the remote and returns the reply to send, or null when
   * there is none (the responder's last step).
   *
   * @throws NoiseException if the message is malformed, fails decryption, carries a bad signature,
   *     or comes from a peer other than the expected one
   */
  byte[] onMessage(byte[] message) throws NoiseException {
    if (isComplete()) {
      throw new IllegalStateException("handshake already complete");
    }
    byte[] payload = xx.readMessage(message);
    if (xx.remoteStaticKey() != null) {
      authenticate(payload);
    }
    return xx.isMyTurn() ? xx.writeMessage(signedPayload()) : null;
  }

  boolean isComplete() {
    return xx.isComplete();
  }

  PeerId remotePeer() {
    return remotePeer;
  }

  List<String> remoteStreamMuxers() {
    return remoteStreamMuxers;
  }

  NoiseCipherState sendCipher() {
    return xx.sendCipher();
  }

  NoiseCipherState receiveCipher() {
    return xx.receiveCipher();
  }

  private byte[] signedPayload() {
    byte[] sig = local.sign(signatureInput(xx.localStaticKey()));
    return new HandshakePayload(local.publicKeyProtobuf(), sig, localStreamMuxers, List.of())
        .encode();
  }

  private void authenticate(byte[] payloadBytes) throws NoiseException {
    HandshakePayload payload = HandshakePayload.decode(payloadBytes);
    PeerId claimed;
    try {
      claimed = PeerId.fromPublicKeyProtobuf(payload.identityKey());
    } catch (IllegalArgumentException e) {
      throw new NoiseException(NoiseException.Reason.BAD_SIGNATURE, "unusable identity key", e);
    }
    if (!PeerId.verify(
        payload.identityKey(), signatureInput(xx.remoteStaticKey()), payload.identitySig())) {
      throw new NoiseException(
          NoiseException.Reason.BAD_SIGNATURE,
          "identity key of " + claimed + " does not sign the Noise static key (or is unsupported)");
    }
    if (expectedRemote != null && !expectedRemote.equals(claimed)) {
      throw new NoiseException(
          NoiseException.Reason.PEER_ID_MISMATCH,
          "expected " + expectedRemote + " but the remote is " + claimed);
    }
    remotePeer = claimed;
    remoteStreamMuxers = payload.streamMuxers();
  }

  private static byte[] signatureInput(byte[] staticKey) {
    byte[] input = new byte[SIGNATURE_PREFIX.length + staticKey.length];
    System.arraycopy(SIGNATURE_PREFIX, 0, input, 0, SIGNATURE_PREFIX.length);
    System.arraycopy(staticKey, 0, input, SIGNATURE_PREFIX.length, staticKey.length);
    return input;
  }
}
