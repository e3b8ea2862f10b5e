package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jmor.parallel.cluster.IgniteFlags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in the environment, run as a user would (a JVM of its own with the CLI's flags, in a
 * directory of the test's): a key store or password file that is missing, a directory, not a key
 * store, or open to group or others; {@code ./jmor worker} on a port in use or an address of
 * another host; a driver pointed at addresses where no worker runs; a cache directory that cannot
 * be made. Each gives exactly one line naming the input and the reason, with exit code 2 (1 for the
 * driver, whose input may be right while the workers are not up), and leaves no file behind; {@code
 * JMOR_DEBUG=1} adds the stack trace.
 */
@Timeout(600)
class EnvironmentErrorsTest {
  @TempDir Path tmp;
  private Path work;
  private Path tmpdir;

  private static final String PASSWORD = "correct-horse-battery";

  @BeforeEach
  void dirs() throws Exception {
    work = Files.createDirectory(tmp.resolve("work"));
    tmpdir = Files.createDirectory(tmp.resolve("tmpdir"));
  }

  record Proc(int code, String output) {}

  private Proc run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(IgniteFlags.FLAGS);
    cmd.addAll(List.of("-XX:+UseParallelGC", "-Djava.io.tmpdir=" + tmpdir));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("JMOR_"));
    pb.environment().put("JMOR_CLUSTER_KEY_STORE_PASSWORD", PASSWORD);
    pb.environment().putAll(env);
    Path out = tmp.resolve("out.txt");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process p = pb.start();
    try {
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("ended in time").isTrue();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private Proc run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  /** Exit code, the whole output (one line), and nothing left in the temporary directory. */
  private void assertOneLine(Proc r, int code, String line) throws Exception {
    assertThat(r.output()).isEqualTo(line + System.lineSeparator());
    assertThat(r.code()).isEqualTo(code);
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertThat(left).as("left in java.io.tmpdir").isEmpty();
    }
  }

  private Path keyStore(String name) throws Exception {
    Path store = work.resolve(name);
    ProcessBuilder p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-noprompt",
                "-storetype",
                "PKCS12",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-alias",
                "jmor",
                "-dname",
                "CN=test",
                "-keystore",
                store.toString(),
                "-storepass:env",
                "JMOR_CLUSTER_KEY_STORE_PASSWORD")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("keytool.txt").toFile());
    p.environment().put("JMOR_CLUSTER_KEY_STORE_PASSWORD", PASSWORD);
    Process k = p.start();
    assertThat(k.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(k.exitValue()).isZero();
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
    return store;
  }

  private String[] worker(String keyStore, String... more) {
    List<String> a =
        new ArrayList<>(List.of("worker", "--cluster-id", "c", "--index", "0", "--key-store"));
    a.add(keyStore);
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  // ------------------------------------------------------------------ key store, password file

  @Test
  void keyStore_missing_saysNoSuchFile() throws Exception {
    assertOneLine(
        run(worker("missing.p12")),
        2,
        "worker: cannot read the key store missing.p12: no such file");
  }

  @Test
  void keyStore_aTextFile_isNotAPkcs12KeyStore() throws Exception {
    Path text = work.resolve("text.p12");
    Files.writeString(text, "hello\n");
    Files.setPosixFilePermissions(text, PosixFilePermissions.fromString("rw-------"));
    assertOneLine(
        run(worker("text.p12")),
        2,
        "worker: cannot open the key store " + text + ": not a PKCS12 key store");
  }

  @Test
  void keyStore_aDirectory_andWrongPassword_sayWhy() throws Exception {
    Files.createDirectory(work.resolve("dir.p12"));
    assertOneLine(
        run(worker("dir.p12")), 2, "worker: cannot read the key store dir.p12: is a directory");
    Path store = keyStore("k.p12");
    assertOneLine(
        run(Map.of("JMOR_CLUSTER_KEY_STORE_PASSWORD", "wrong"), worker("k.p12")),
        2,
        "worker: cannot open the key store " + store + ": wrong password (or a damaged file)");
  }

  @Test
  void passwordFile_missingOrADirectory_saysWhy() throws Exception {
    keyStore("k.p12");
    assertOneLine(
        run(worker("k.p12", "--key-store-password-file", "nope")),
        2,
        "worker: cannot read the key store password file nope: no such file");
    Files.createDirectory(work.resolve("pwdir"));
    assertOneLine(
        run(worker("k.p12", "--key-store-password-file", "pwdir")),
        2,
        "worker: cannot read the key store password file pwdir: is a directory");
  }

  @Test
  void keyStoreOrPasswordFile_openToOthers_isRefusedLikeSsh() throws Exception {
    Path store = keyStore("k.p12");
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-r--r--"));
    assertOneLine(
        run(worker("k.p12")),
        2,
        "worker: permissions 0644 for the key store k.p12 are too open (group or others may read"
            + " it): chmod 600 k.p12");
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
    Path pw = work.resolve("pw");
    Files.writeString(pw, PASSWORD + "\n");
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw--w----"));
    assertOneLine(
        run(worker("k.p12", "--key-store-password-file", "pw")),
        2,
        "worker: permissions 0620 for the key store password file pw are too open (group or"
            + " others may change it): chmod 600 pw");
    assertThat(Files.readString(pw)).isEqualTo(PASSWORD + "\n");
  }

  // ------------------------------------------------------------------ where a worker listens

  @Test
  void worker_portInUse_namesThePort_andJmorDebugShowsTheTrace() throws Exception {
    keyStore("k.p12");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      String line =
          "worker: --discovery-port "
              + port
              + ": port "
              + port
              + " cannot be bound on 127.0.0.1 (address already in use); give another"
              + " --discovery-port or a larger --port-range, or stop what listens there";
      String[] args = worker("k.p12", "--discovery-port", "" + port, "--port-range", "1");
      assertOneLine(run(args), 2, line);
      Proc debug = run(Map.of("JMOR_DEBUG", "1"), args);
      assertThat(debug.code()).isEqualTo(2);
      assertThat(debug.output()).startsWith(line + System.lineSeparator()).contains("\tat ");
    }
  }

  @Test
  void worker_bindToAnAddressOfAnotherHost_namesIt() throws Exception {
    keyStore("k.p12");
    Proc r = run(worker("k.p12", "--bind", "192.0.2.123"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.output())
        .startsWith("worker: --bind 192.0.2.123: not an address of this host (its addresses: ")
        .contains("127.0.0.1")
        .hasLineCount(1);
  }

  @Test
  void driver_atAddressesWhereNoWorkerRuns_saysSoInOneLine() throws Exception {
    Path store = keyStore("k.p12");
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    Proc r =
        run(
            Map.of(
                "JMOR_CLUSTER_ADDRESSES", address,
                "JMOR_CLUSTER_ID", "nobody",
                "JMOR_CLUSTER_KEY_STORE", store.toString(),
                "JMOR_CLUSTER_TIMEOUT", "3s",
                "JMOR_CLUSTER_WORKERS", "1"),
            "thermalblock",
            "--pool",
            "cluster",
            "--no-plots",
            "2",
            "2",
            "3",
            "5");
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .as(r.output())
        .startsWith("thermalblock: 1 of 1 workers failed to join within 3000 ms")
        .contains("at " + address)
        .doesNotContain("\tat ", "[ERROR]", "[WARN]")
        .hasLineCount(1);
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertThat(left).as("left in java.io.tmpdir").isEmpty();
    }
  }

  // ------------------------------------------------------------------ cache directory

  @Test
  void cacheDirectory_thatCannotBeMade_saysWhy() throws Exception {
    Path file = work.resolve("file");
    Files.writeString(file, "x");
    assertOneLine(
        run(
            "thermalblock",
            "--cache-region",
            "persistent",
            "--cache-dir",
            "file/sub",
            "2",
            "2",
            "3",
            "5"),
        2,
        // checked with the other output places before any work (the cache module's own message,
        // with the same reason, is for library callers: RegionTest)
        "thermalblock: --cache-dir file/sub: " + file + " is a file, not a directory");
    assertOneLine(
        run(
            "thermalblock",
            "--cache-region",
            "persistent",
            "--cache-dir",
            "file",
            "2",
            "2",
            "3",
            "5"),
        2,
        "thermalblock: --cache-dir file: " + file + " is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }
}
