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
 * <p>Why two implementations: the JDK's Ed25519 (on 17 and on 25) is many times slower than
 * BouncyCastle's and dominates gossip CPU, while the JDK's ChaCha20-Poly1305 is the faster of the
 * two. {@code auto} picks per operation what measured faster ({@code CryptoBenchmark} in the bench
 * module, docs/crypto.md); {@code jdk} and {@code bouncycastle} force one for every operation.
 */
package io.meshlog.node.p2p.internal.crypto;
