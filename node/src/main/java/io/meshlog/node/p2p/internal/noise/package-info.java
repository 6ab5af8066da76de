/**
 * Internal: the Noise secure channel ({@code /noise}, Noise_XX_25519_ChaChaPoly_SHA256 with the
 * libp2p handshake payload) as a Netty handler. Not API; only the transport package uses it.
 *
 * <pre>
 *   NoiseSecureHandler (Netty, one per connection, event-loop confined)
 *     ├─ SecureHandshake      libp2p layer: signed static key, peer id checks   (no Netty)
 *     │    └─ NoiseXxHandshake   Noise XX tokens, rev 34                         (no Netty)
 *     │         └─ NoiseSymmetricState ─ NoiseCipherState, X25519
 *     └─ NoiseCipherState x2  transport: ChaCha20-Poly1305, one engine per direction
 * </pre>
 */
package io.meshlog.node.p2p.internal.noise;
