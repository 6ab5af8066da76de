package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class IdentityTest {

  @TempDir Path dir;

  @Test
  void shouldCreateAnOwnerOnlyFileOnFirstUseAndReloadTheSamePeerId() throws Exception {
    Path file = dir.resolve("data/identity.key");

    Identity created = Identity.loadOrCreate(file);
    Identity reloaded = Identity.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(reloaded.peerId()).isEqualTo(created.peerId());
    assertThat(reloaded.publicKeyProtobuf()).isEqualTo(created.publicKeyProtobuf());
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void shouldFailNamingACorruptFileAndLeaveItAlone() throws Exception {
    Path file = dir.resolve("identity.key");
    byte[] garbage = {0x08, 0x01, 0x12, 0x40, 1, 2, 3};
    Files.write(file, garbage);

    assertThatThrownBy(() -> Identity.loadOrCreate(file))
        .isInstanceOf(Identity.IdentityFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
  }

  @Test
  void shouldTreatAPublicKeyNotMatchingThePrivateKeyAsCorrupt() throws Exception {
    Path file = dir.resolve("identity.key");
    byte[] key = Identity.generate().privateKeyProtobuf();
    key[key.length - 1] ^= 1;
    Files.write(file, key);

    assertThatThrownBy(() -> Identity.loadOrCreate(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not match");
  }

  @Test
  void shouldVerifySignaturesAgainstThePublicKeyProtobuf() {
    Identity identity = Identity.generate();
    byte[] data = {1, 2, 3};

    assertThat(PeerId.verify(identity.publicKeyProtobuf(), data, identity.sign(data))).isTrue();
  }
}
