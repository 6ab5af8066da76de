package io.meshlog.node.p2p.internal.noise;

import io.meshlog.node.p2p.PeerId;
import java.util.List;

/**
 * User event fired by {@link NoiseSecureHandler} once the handshake has succeeded, before any
 * decrypted byte is passed on: the remote is authenticated as {@code remotePeer}.
 *
 * @param remotePeer the authenticated remote peer
 * @param remoteStreamMuxers muxer protocol ids the remote offered in its handshake payload
 *     extensions (empty if it sent none); informational, never trusted for anything
 */
public record SecureSessionEstablished(PeerId remotePeer, List<String> remoteStreamMuxers) {

  public SecureSessionEstablished {
    remoteStreamMuxers = List.copyOf(remoteStreamMuxers);
  }

  public SecureSessionEstablished(PeerId remotePeer) {
    this(remotePeer, List.of());
  }
}
