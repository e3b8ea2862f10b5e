package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.PoolConfig;
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
        ClusterProvider.profile(ConfigView.of(Map.of(PoolConfig.CLUSTER_PROFILE, file.toString())));
    assertThat(profile)
        .containsEntry(ClusterProvider.ADDRESSES, "10.0.0.2:47500")
        .containsEntry(ClusterProvider.ID, "lab");
    assertThatThrownBy(
            () ->
                ClusterProvider.profile(
                    ConfigView.of(Map.of(PoolConfig.CLUSTER_PROFILE, "no-such-profile-xyz"))))
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
}
