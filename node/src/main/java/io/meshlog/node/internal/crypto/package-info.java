/**
 * Internal: the cryptographic primitives meshlog's libp2p stack needs (Ed25519, ChaCha20-Poly1305,
 * X25519) behind our own small interfaces, each with a JDK and a BouncyCastle implementation. Not
 * API. BouncyCastle types appear in this package only.
 *
 * <pre>
 *   Crypto ── provider per operation (meshlog.crypto.provider = auto | jdk | bouncycastle)
 *     ├─ Ed25519            JdkEd25519 | BcEd25519          Identity, PeerId, gossip signatures
 *     ├─ ChaCha20Poly1305   JdkChaCha20Poly1305 | BcChaCha20Poly1305   Noise transport
 *     └─ X25519             JdkX25519 | BcX25519            Noise handshake
 * </pre>
 *
 * <p>Why two implementations: on JDK 17 the JDK's Ed25519 and ChaCha20-Poly1305 are several times
 * slower than BouncyCastle's (they dominate Noise and gossip CPU), while newer JDKs close much of
 * the gap. {@code auto} picks per operation what measured faster ({@code CryptoBenchmark} in the
 * bench module); {@code jdk} and {@code bouncycastle} force one for every operation.
 */
package io.meshlog.node.internal.crypto;
