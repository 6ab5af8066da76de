package io.meshlog.bench;

import io.meshlog.node.p2p.internal.crypto.ChaChaPolyAead;
import io.meshlog.node.p2p.internal.crypto.Crypto;
import io.meshlog.node.p2p.internal.crypto.CryptoProvider;
import io.meshlog.node.p2p.internal.crypto.Ed25519Signatures;
import io.meshlog.node.p2p.internal.crypto.X25519DiffieHellman;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK against BouncyCastle, one thread, for the operations meshlog's libp2p stack spends its
 * CPU on: Ed25519 sign and verify of a 1 KiB gossip message (key parsed once or per call),
 * ChaCha20-Poly1305 seal and open of 64 KiB and 1 KiB Noise frames, X25519 agreement. Figures and
 * the choices made from them are in docs/crypto.md.
 *
 * <p>Each setup checks that the chosen implementation round-trips with the other one, so a fast
 * wrong implementation fails before it is measured.
 *
 * <pre>
 *   mvn -B -q -pl bench -am package dependency:build-classpath -DskipTests \
 *       -Dmdep.outputFile=target/classpath.txt
 *   java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main Crypto
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class CryptoBenchmark {
  private static final byte[] ED25519_X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  @Param({"jdk", "bouncycastle"})
  public String provider;

  private final byte[] message = new byte[1024];
  private final byte[] seed = new byte[32];
  private Ed25519Signatures ed25519;
  private Ed25519Signatures.SigningKey signingKey;
  private byte[] publicKey;
  private byte[] signature;
  private Signature jdkVerifier;
  private PublicKey jdkPublicKey;
  private Object bcPublicPoint;

  private ChaChaPolyAead aead;

  /** Two messages per size, opened in turn: the JDK refuses a re-init under the previous nonce. */
  private final byte[][] nonces = {
    {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0}
  };

  private final byte[] empty = new byte[0];
  private final byte[] plain64k = new byte[65519];
  private final byte[] plain1k = new byte[1024];
  private final byte[] out = new byte[65535];
  private final byte[][] sealed = new byte[4][]; // 64 KiB, 64 KiB, 1 KiB, 1 KiB
  private int turn;
  private long counter;

  private X25519DiffieHellman x25519;
  private byte[] x25519Private;
  private byte[] x25519RemotePublic;

  @Setup
  public void setUp() throws Exception {
    CryptoProvider p = CryptoProvider.parse(provider);
    CryptoProvider other =
        p == CryptoProvider.JDK ? CryptoProvider.BOUNCYCASTLE : CryptoProvider.JDK;
    Random random = new Random(42);
    random.nextBytes(message);
    random.nextBytes(seed);
    random.nextBytes(plain64k);
    random.nextBytes(plain1k);

    ed25519 = Crypto.ed25519(p);
    signingKey = ed25519.signingKey(seed);
    publicKey = signingKey.publicKey();
    signature = signingKey.sign(message);
    check(Crypto.ed25519(other).verify(publicKey, message, signature), "ed25519 cross-verify");
    check(
        Arrays.equals(publicKey, Crypto.ed25519(other).signingKey(seed).publicKey()), "ed25519 pk");
    byte[] x509 = new byte[44];
    System.arraycopy(ED25519_X509_PREFIX, 0, x509, 0, 12);
    System.arraycopy(publicKey, 0, x509, 12, 32);
    jdkPublicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    jdkVerifier = Signature.getInstance("Ed25519");
    bcPublicPoint =
        org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(publicKey, 0);

    aead = Crypto.newChaCha20Poly1305(p);
    byte[] key = new byte[32];
    random.nextBytes(key);
    aead.setKey(key);
    ChaChaPolyAead otherAead = Crypto.newChaCha20Poly1305(other);
    otherAead.setKey(key);
    // Distinct nonces: both implementations refuse to encrypt twice under one key and nonce.
    for (int i = 0; i < 4; i++) {
      byte[] plain = i < 2 ? plain64k : plain1k;
      sealed[i] = aead.seal(nonces[i], empty, plain);
      check(Arrays.equals(otherAead.open(nonces[i], empty, sealed[i]), plain), "chacha cross-open");
    }
    counter = 1L << 32; // sealing in the benchmark starts past the nonces used here

    x25519 = Crypto.x25519(p);
    x25519Private = x25519.generatePrivateKey();
    byte[] remotePrivate = Crypto.x25519(other).generatePrivateKey();
    x25519RemotePublic = Crypto.x25519(other).publicKey(remotePrivate);
    check(
        Arrays.equals(
            x25519.agree(x25519Private, x25519RemotePublic),
            Crypto.x25519(other).agree(remotePrivate, x25519.publicKey(x25519Private))),
        "x25519 agreement");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what + " failed");
    }
  }

  @Benchmark
  public byte[] ed25519SignCachedKey() {
    return signingKey.sign(message);
  }

  @Benchmark
  public byte[] ed25519SignParsedPerCall() {
    return ed25519.signingKey(seed).sign(message);
  }

  @Benchmark
  public boolean ed25519VerifyParsedPerCall() {
    return ed25519.verify(publicKey, message, signature);
  }

  /** The library's own pre-parsed key object, engine reused: the floor of verification. */
  @Benchmark
  public boolean ed25519VerifyCachedKey() throws Exception {
    if (ed25519.provider() == CryptoProvider.JDK) {
      jdkVerifier.initVerify(jdkPublicKey);
      jdkVerifier.update(message);
      return jdkVerifier.verify(signature);
    }
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature,
        0,
        (org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint) bcPublicPoint,
        message,
        0,
        message.length);
  }

  @Benchmark
  public int chachaSeal64k() {
    return seal(plain64k);
  }

  @Benchmark
  public int chachaSeal1k() {
    return seal(plain1k);
  }

  @Benchmark
  public int chachaOpen64k() throws AEADBadTagException {
    return open(turn ^= 1);
  }

  @Benchmark
  public int chachaOpen1k() throws AEADBadTagException {
    return open(3 - (turn ^= 1)); // 2 first: setup last used nonce 3 to encrypt
  }

  @Benchmark
  public byte[] x25519Agree() throws Exception {
    return x25519.agree(x25519Private, x25519RemotePublic);
  }

  private int open(int i) throws AEADBadTagException {
    return aead.decrypt(nonces[i], empty, sealed[i], 0, sealed[i].length, out, 0);
  }

  private int seal(byte[] plain) {
    byte[] n = new byte[12]; // a fresh nonce per message, as Noise's counter gives
    long v = ++counter;
    for (int i = 4; i < 12; i++) {
      n[i] = (byte) v;
      v >>>= 8;
    }
    aead.beginEncrypt(n, empty);
    int w = aead.encryptUpdate(plain, 0, plain.length, out, 0);
    return w + aead.finishEncrypt(out, w);
  }
}
