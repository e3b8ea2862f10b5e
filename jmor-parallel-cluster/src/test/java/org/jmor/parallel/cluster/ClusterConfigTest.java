package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration of connecting, the allow-list and the worker options, without a cluster. */
class ClusterConfigTest {
  @TempDir Path tmp;

  @Test
  void allowList_acceptsPackagesAndClasses_rejectsOthers_andEndsWithDenyAll() {
    assertThat(ClusterAllowList.parse(" com.example.*, org.acme.Task ,x.y.**", "test"))
        .containsExactly("com.example.*", "org.acme.Task", "x.y.*");
    assertThatThrownBy(() -> ClusterAllowList.parse("com.example.*;!*", "jmor.cluster.allow"))
        .hasMessageContaining("jmor.cluster.allow")
        .hasMessageContaining("com.example.*;!*");
    assertThatThrownBy(() -> ClusterAllowList.parse("*", "test")).hasMessageContaining("'*'");
    String pattern = ClusterAllowList.framePattern("a.B", List.of("com.example.*", "org.acme.T"));
    assertThat(pattern).startsWith("a.B;org.jmor.**;").contains(";com.example.**;org.acme.T;");
    assertThat(pattern).endsWith(";!*");
  }

  @Test
  void igniteClassList_holdsTheLibraryAndTheUsersEntries() throws Exception {
    Path file = tmp.resolve("list");
    ClusterAllowList.writeIgniteList(file, List.of("com.example.*"));
    assertThat(Files.readAllLines(file)).contains("org.jmor.*", "com.example.*");
  }

  @Test
  void addresses_areChecked() {
    assertThat(ClusterAddresses.parse("10.0.0.2:47500..47509, h:1", "x"))
        .containsExactly("10.0.0.2:47500..47509", "h:1");
    assertThatThrownBy(() -> ClusterAddresses.parse("10.0.0.2", "jmor.cluster.addresses"))
        .hasMessageContaining("jmor.cluster.addresses")
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ClusterAddresses.parse("h:9..8", "x")).hasMessageContaining("h:9..8");
    assertThat(ClusterAddresses.localBind(List.of("127.0.0.1:47500..47509")))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void workerIndex_comesFromTheOptionOrTheLaunchersRank() {
    WorkerSettings s = new WorkerSettings();
    assertThat(s.resolveIndex(Map.of("SLURM_PROCID", "3", "PMI_RANK", "1"))).isEqualTo(3);
    assertThat(s.resolveIndex(Map.of("OMPI_COMM_WORLD_RANK", "2"))).isEqualTo(2);
    assertThatThrownBy(() -> s.resolveIndex(Map.of())).hasMessageContaining("--index");
    assertThat(s.index(5).resolveIndex(Map.of("SLURM_PROCID", "3"))).isEqualTo(5);
    assertThatThrownBy(() -> new WorkerSettings().check())
        .hasMessageContaining("--cluster-id")
        .hasMessageContaining("--key-store");
    assertThat(
            IgniteWorkerMain.parse(
                    List.of("--cluster-id", "c", "--index", "auto", "--once", "--allow", "a.b.*"))
                .once)
        .isTrue();
    assertThatThrownBy(() -> IgniteWorkerMain.parse(List.of("--bogus", "1")))
        .hasMessageContaining("--bogus");
  }

  @Test
  void workerWithoutTls_needsNoKeyStore_andTheKeyStoreWaitIsBounded() throws Exception {
    WorkerSettings noTls = IgniteWorkerMain.parse(List.of("--cluster-id", "c", "--no-tls"));
    assertThat(noTls.tls).isFalse();
    noTls.check(); // no key store needed
    assertThatThrownBy(() -> IgniteWorkerMain.parse(List.of("--cluster-id", "c")).check())
        .hasMessageContaining("--key-store");
    WorkerSettings waiting =
        IgniteWorkerMain.parse(
            List.of("--cluster-id", "c", "--key-store", "k.p12", "--key-store-wait-ms", "250"));
    assertThat(waiting.keyStoreWaitMillis).isEqualTo(250);
    assertThatThrownBy(
            () -> new WorkerSettings().clusterId("c").tls(false).keyStoreWaitMillis(-1).check())
        .hasMessageContaining("key store wait");
    Path missing = tmp.resolve("never.p12");
    assertThatThrownBy(() -> ClusterKeyStore.awaitFile(missing, 30))
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("30 ms");
    Path present = Files.writeString(tmp.resolve("there.p12"), "x");
    ClusterKeyStore.awaitFile(present, 0);
  }

  @Test
  void classDataSharing_recordsOnceForPlainJars_thenMapsTheArchive_andStaysOffOtherwise()
      throws Exception {
    Path jar = tmp.resolve("app.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
      out.write(1);
    }
    Path cds = tmp.resolve("cds");
    String old = System.getProperty(ClassDataSharing.DIR_PROPERTY);
    System.setProperty(ClassDataSharing.DIR_PROPERTY, cds.toString());
    try {
      ClassDataSharing.Plan first = ClassDataSharing.plan(jar.toString(), List.of("-Xmx64m"));
      assertThat(first).isNotNull();
      Path dump = java.util.Objects.requireNonNull(first.dump());
      assertThat(first.firstWorker()).containsExactly("-XX:ArchiveClassesAtExit=" + dump);
      assertThat(first.otherWorkers()).isEmpty();
      assertThat(Files.getPosixFilePermissions(cds))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      Files.writeString(dump, "archive");
      first.finish(true);
      assertThat(first.archive()).exists();
      assertThat(dump).doesNotExist();
      ClassDataSharing.Plan next = ClassDataSharing.plan(jar.toString(), List.of("-Xmx64m"));
      assertThat(java.util.Objects.requireNonNull(next).dump()).isNull();
      assertThat(next.firstWorker())
          .containsExactly("-XX:SharedArchiveFile=" + first.archive())
          .isEqualTo(next.otherWorkers());
      // another JVM option, a directory on the class path, the user's own CDS option: no sharing
      assertThat(ClassDataSharing.plan(jar.toString(), List.of("-Xmx128m")).archive())
          .isNotEqualTo(first.archive());
      assertThat(ClassDataSharing.plan(jar + java.io.File.pathSeparator + tmp, List.of())).isNull();
      assertThat(ClassDataSharing.plan(jar.toString(), List.of("-Xshare:off"))).isNull();
      // a recording whose worker did not end normally is dropped
      ClassDataSharing.Plan other = ClassDataSharing.plan(jar.toString(), List.of("-Xmx32m"));
      Path otherDump = java.util.Objects.requireNonNull(other.dump());
      Files.writeString(otherDump, "partial");
      other.finish(false);
      assertThat(otherDump).doesNotExist();
      assertThat(other.archive()).doesNotExist();
    } finally {
      if (old == null) {
        System.clearProperty(ClassDataSharing.DIR_PROPERTY);
      } else {
        System.setProperty(ClassDataSharing.DIR_PROPERTY, old);
      }
    }
  }

  @Test
  void connectingByConfiguration_needsIdAndKeyStore_withClearMessages() {
    ClusterProvider provider = new ClusterProvider();
    Map<String, String> noKey =
        Map.of(ClusterProvider.ADDRESSES, "127.0.0.1:47500", ClusterProvider.ID, "c");
    assertThat(provider.detects(ConfigView.of(noKey))).isTrue();
    assertThatThrownBy(() -> provider.open(new PoolSpec(0, 42, noKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ClusterProvider.KEY_STORE);
    Map<String, String> noId = Map.of(ClusterProvider.ADDRESSES, "127.0.0.1:47500");
    assertThatThrownBy(() -> provider.open(new PoolSpec(0, 42, noId)))
        .hasMessageContaining(ClusterProvider.KEY_STORE);
    assertThatThrownBy(() -> IgnitePools.connect(ClusterOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jmor.cluster.addresses")
        .hasMessageContaining("jmor.cluster.id")
        .hasMessageContaining("jmor.cluster.key-store");
  }

  @Test
  void profile_isAPropertiesFile_whoseKeysYieldToExplicitOnes() throws Exception {
    Path file = tmp.resolve("lab.properties");
    Files.writeString(
        file, "jmor.cluster.addresses=10.0.0.2:47500\njmor.cluster.id=lab\n# comment\n");
    Map<String, String> profile =
        ClusterProvider.profile(ConfigView.of(Map.of(ClusterProvider.PROFILE, file.toString())));
    assertThat(profile)
        .containsEntry(ClusterProvider.ADDRESSES, "10.0.0.2:47500")
        .containsEntry(ClusterProvider.ID, "lab");
    assertThatThrownBy(
            () ->
                ClusterProvider.profile(
                    ConfigView.of(Map.of(ClusterProvider.PROFILE, "no-such-profile-xyz"))))
        .hasMessageContaining("no-such-profile-xyz.properties");
  }

  @Test
  void generatedKeyStore_isPkcs12OfMode0600_andOpensWithItsPassword() throws Exception {
    ClusterKeyStore ks = ClusterKeyStore.generate(tmp.resolve("k.p12"), "unit");
    assertThat(Files.getPosixFilePermissions(ks.path()))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(ClusterKeyStore.of(ks.path(), ks.password()).path()).isEqualTo(ks.path());
    assertThatThrownBy(() -> ClusterKeyStore.of(ks.path(), "wrong".toCharArray()))
        .hasMessageContaining("wrong password");
    ks.delete();
    assertThat(ks.path()).doesNotExist();
  }

  @Test
  void secretFiles_openToGroupOrOthers_areRefusedLikeSsh_withTheReasonOtherwise() throws Exception {
    ClusterKeyStore ks = ClusterKeyStore.generate(tmp.resolve("s.p12"), "unit");
    Files.setPosixFilePermissions(
        ks.path(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> ClusterKeyStore.of(ks.path(), ks.password()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "permissions 0640 for the key store "
                + ks.path()
                + " are too open (group or others may read it): chmod 600 "
                + ks.path());
    ClusterKeyStore.ownerOnly(ks.path());
    assertThat(ClusterKeyStore.of(ks.path(), ks.password()).path()).isEqualTo(ks.path());
    Path text = tmp.resolve("text.p12");
    Files.writeString(text, "not a key store");
    ClusterKeyStore.ownerOnly(text);
    assertThatThrownBy(() -> ClusterKeyStore.of(text, "x".toCharArray()))
        .hasMessage("cannot open the key store " + text + ": not a PKCS12 key store");
    assertThatThrownBy(() -> ClusterKeyStore.of(tmp.resolve("none.p12"), "x".toCharArray()))
        .hasMessage("cannot read the key store " + tmp.resolve("none.p12") + ": no such file");
    assertThatThrownBy(() -> ClusterKeyStore.readPasswordFile(tmp))
        .hasMessage("cannot read the key store password file " + tmp + ": is a directory");
    ks.delete();
  }
}
