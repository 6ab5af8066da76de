package io.meshlog.node.gossipsub;

/**
 * The node identity the router signs its own publications with (StrictSign). Thread-safe.
 *
 * <p>The host's {@code Identity} will implement this through a small adapter; {@link
 * Ed25519MessageSigner} is a self-contained one for tests and tools.
 */
public interface MessageSigner {

  /** This node's peer id bytes (the {@code from} field). */
  byte[] peerId();

  /** This node's public key as a libp2p crypto PublicKey protobuf. */
  byte[] publicKeyProtobuf();

  /** Signs {@code data} with the node's private key. */
  byte[] sign(byte[] data);
}
