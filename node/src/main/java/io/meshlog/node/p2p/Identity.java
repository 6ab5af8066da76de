package io.meshlog.node.p2p;

import io.meshlog.node.p2p.internal.crypto.Crypto;
import io.meshlog.node.p2p.internal.crypto.Ed25519Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A node's libp2p identity: an Ed25519 key pair, and the peer id derived from its public key.
 *
 * <p>On disk ({@code <data-dir>/identity.key}) the key is the libp2p {@code PrivateKey} protobuf
 * ({@code Type = Ed25519}, {@code Data} = 32-byte seed followed by the 32-byte public key), the
 * format go-libp2p and js-libp2p use, so a key can move between implementations. The older 96-byte
 * form (public key twice) is accepted on load.
 *
 * <p>Immutable and thread-safe.
 */
public final class Identity {

  private final byte[] seed;
  private final byte[] publicKey;
  private final Ed25519Signatures.SigningKey signingKey;
  private final byte[] publicKeyProtobuf;
  private final PeerId peerId;

  private Identity(byte[] seed, Ed25519Signatures.SigningKey signingKey) {
    this.seed = seed;
    this.signingKey = signingKey;
    this.publicKey = signingKey.publicKey();
    this.publicKeyProtobuf = KeyProtobuf.encode(KeyProtobuf.ED25519, publicKey);
    this.peerId = PeerId.fromPublicKeyProtobuf(publicKeyProtobuf);
  }

  /** Creates a new random identity (from the JDK's default {@code SecureRandom}). */
  public static Identity generate() {
    byte[] seed = new byte[Ed25519Signatures.KEY_BYTES];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  /**
   * The identity of a 32-byte Ed25519 private key seed; the array is copied.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static Identity fromSeed(byte[] seed) {
    byte[] copy = seed.clone();
    return new Identity(copy, Crypto.ed25519().signingKey(copy));
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code data} under the raw 32-byte
   * {@code publicKey}, with the same provider that signs. Thread-safe.
   */
  public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
    return Crypto.ed25519().verify(publicKey, data, signature);
  }

  /**
   * Reads the identity from a libp2p {@code PrivateKey} protobuf.
   *
   * @throws IllegalArgumentException if the bytes are not an Ed25519 private key, or the public key
   *     they carry does not belong to the private key
   */
  public static Identity fromPrivateKeyProtobuf(byte[] privateKeyProto) {
    KeyProtobuf.Key key = KeyProtobuf.decode(privateKeyProto);
    if (key.type() != KeyProtobuf.ED25519) {
      throw new IllegalArgumentException("key type " + key.type() + " is not Ed25519 (1)");
    }
    byte[] data = key.data();
    if (data.length != 64 && data.length != 96) {
      throw new IllegalArgumentException(
          "Ed25519 private key data must be 64 (or legacy 96) bytes, got " + data.length);
    }
    byte[] seed = Arrays.copyOfRange(data, 0, 32);
    byte[] stored = Arrays.copyOfRange(data, 32, 64);
    if (data.length == 96 && !Arrays.equals(stored, Arrays.copyOfRange(data, 64, 96))) {
      throw new IllegalArgumentException("legacy 96-byte key has two different public keys");
    }
    Ed25519Signatures.SigningKey signingKey = Crypto.ed25519().signingKey(seed);
    if (!Arrays.equals(signingKey.publicKey(), stored)) {
      throw new IllegalArgumentException("stored public key does not match the private key");
    }
    return new Identity(seed, signingKey);
  }

  /**
   * Loads the identity kept in {@code file}, creating it on first use. A new file is written
   * atomically (temporary file then rename) with mode {@code 600} where the file system supports
   * POSIX permissions; missing parent directories are created.
   *
   * @throws IdentityFileException naming the file if it cannot be read or written, or if its
   *     content is not a valid key (a corrupt key is never replaced silently: the peer id would
   *     change)
   */
  public static Identity loadOrCreate(Path file) {
    try {
      return load(file);
    } catch (NoSuchFileException e) {
      // First start: fall through to create.
    } catch (IOException e) {
      throw new IdentityFileException(
          file, "cannot read identity key file " + file + ": " + e.getMessage(), e);
    }
    Identity created = generate();
    try {
      created.writeNew(file);
      return created;
    } catch (FileAlreadyExistsException e) {
      try {
        return load(file); // another process created it first; its key wins
      } catch (IOException again) {
        throw new IdentityFileException(
            file, "cannot read identity key file " + file + ": " + again.getMessage(), again);
      }
    } catch (IOException e) {
      throw new IdentityFileException(
          file, "cannot create identity key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Identity load(Path file) throws IOException {
    if (Files.size(file) > KeyProtobuf.MAX_KEY_BYTES) {
      throw new IdentityFileException(
          file, "corrupt identity key file " + file + ": " + Files.size(file) + " bytes", null);
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return fromPrivateKeyProtobuf(bytes);
    } catch (IllegalArgumentException e) {
      throw new IdentityFileException(
          file, "corrupt identity key file " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeNew(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system: the directory's ACLs apply
    }
    try {
      Files.write(tmp, privateKeyProtobuf());
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The peer id derived from this identity's public key. */
  public PeerId peerId() {
    return peerId;
  }

  /** Signs {@code data} with the Ed25519 private key (RFC 8032, 64-byte signature). */
  public byte[] sign(byte[] data) {
    return signingKey.sign(data);
  }

  /** The libp2p {@code PublicKey} protobuf: {@code Type = Ed25519}, {@code Data} = 32 bytes. */
  public byte[] publicKeyProtobuf() {
    return publicKeyProtobuf.clone();
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The libp2p {@code PrivateKey} protobuf, the on-disk form. Handle with care. */
  public byte[] privateKeyProtobuf() {
    byte[] data = new byte[64];
    System.arraycopy(seed, 0, data, 0, 32);
    System.arraycopy(publicKey, 0, data, 32, 32);
    return KeyProtobuf.encode(KeyProtobuf.ED25519, data);
  }

  @Override
  public String toString() {
    return "Identity[" + peerId + "]";
  }

  /** Reading, writing or decoding an identity key file failed; {@link #file()} says which. */
  public static final class IdentityFileException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    IdentityFileException(Path file, String message, Exception cause) {
      super(
          message,
          cause instanceof IOException ? (IOException) cause : new IOException(message, cause));
      this.file = file;
    }

    public Path file() {
      return file;
    }
  }
}
