package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.ssl.SslContextFactory;
import org.jmor.base.IoReasons;

/**
 * The key store that every node of a cluster uses as its key store and its trust store: a PKCS12
 * file holding the cluster's private key and its certificate. TLS between the nodes is mutual, so a
 * node without this key (no certificate, or another one) is refused at the handshake; the Apache
 * edition of Ignite has no other node authentication.
 *
 * <p>{@link IgnitePools#start} generates a fresh key pair and self-signed certificate for each
 * cluster ({@link #generate}); {@link IgnitePools#connect} takes one that the user made, for
 * example with
 *
 * <pre>{@code
 * keytool -genkeypair -storetype PKCS12 -keyalg EC -groupname secp256r1 -alias jmor \
 *     -dname CN=jmor-cluster -validity 365 -keystore cluster.p12 \
 *     -storepass:env JMOR_CLUSTER_KEY_STORE_PASSWORD
 * chmod 600 cluster.p12
 * }</pre>
 *
 * <p>The password stays in memory; it reaches the worker JVMs in the environment variable {@value
 * #PASSWORD_ENV} (readable by the same user only), never on a command line.
 */
public final class ClusterKeyStore {
  /** The environment variable that carries the key store's password to worker JVMs. */
  public static final String PASSWORD_ENV = "JMOR_CLUSTER_KEY_STORE_PASSWORD";

  private final Path path;
  private final char[] password;
  private final boolean generated;

  private ClusterKeyStore(Path path, char[] password, boolean generated) {
    this.path = path.toAbsolutePath();
    this.password = password.clone();
    this.generated = generated;
  }

  /**
   * A key store given by the user; checked at once (it must open with the password and hold a
   * private key).
   *
   * @param path the PKCS12 file
   * @param password its password (copied)
   * @return the key store
   * @throws IllegalArgumentException if the file cannot be read (no such file, a directory,
   *     permission denied), its POSIX mode gives group or others any access (like ssh: {@code
   *     "permissions 0644 for the key store F are too open ...: chmod 600 F"}), it is not a PKCS12
   *     key store, the password is wrong or the store holds no private key; the message names the
   *     file and the reason
   */
  public static ClusterKeyStore of(Path path, char[] password) {
    checkPrivateFile(path, "the key store");
    ClusterKeyStore ks = new ClusterKeyStore(path, password, false);
    ks.check();
    return ks;
  }

  /**
   * Refuses, as ssh does for a private key, a secret file that is not a readable regular file or
   * whose POSIX mode gives group or others any access (on file systems without POSIX modes only
   * readability is checked).
   *
   * @param file the file
   * @param what what it is, for the message, for example {@code "the key store"}
   * @throws IllegalArgumentException naming the file and the reason, for example {@code
   *     "permissions 0644 for the key store F are too open (group or others may read it); chmod 600
   *     F"}
   */
  static void checkPrivateFile(Path file, String what) {
    String unreadable = IoReasons.unreadable(file);
    if (unreadable != null) {
      throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + unreadable);
    }
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " " + file + ": " + IoReasons.reason(e, file), e);
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : mode) {
      if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
        open.add(p);
      }
    }
    if (!open.isEmpty()) {
      boolean readable =
          open.contains(PosixFilePermission.GROUP_READ)
              || open.contains(PosixFilePermission.OTHERS_READ);
      throw new IllegalArgumentException(
          "permissions "
              + octal(mode)
              + " for "
              + what
              + " "
              + file
              + " are too open (group or others may "
              + (readable ? "read" : "change")
              + " it): chmod 600 "
              + file);
    }
  }

  /** A POSIX mode as four octal digits, for example {@code 0644}. */
  static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format(java.util.Locale.ROOT, "%04o", bits);
  }

  /**
   * A key store whose password is the first line of a file (which should be readable by its owner
   * only).
   *
   * @param path the PKCS12 file
   * @param passwordFile the file with the password
   * @return the key store
   * @throws IllegalArgumentException if a file cannot be read, is open to group or others ({@link
   *     #of}), or the store cannot be opened
   */
  public static ClusterKeyStore withPasswordFile(Path path, Path passwordFile) {
    return of(path, readPasswordFile(passwordFile).toCharArray());
  }

  /**
   * Reads the password from the first line of a file (stripped).
   *
   * @param passwordFile the file
   * @return the password
   * @throws IllegalArgumentException if the file cannot be read, naming it
   */
  static String readPasswordFile(Path passwordFile) {
    String what = "the key store password file";
    checkPrivateFile(passwordFile, what);
    try {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " " + passwordFile + ": " + IoReasons.reason(e, passwordFile), e);
    }
  }

  /**
   * A key store whose password is the value of an environment variable.
   *
   * @param path the PKCS12 file
   * @param variable the variable, usually {@value #PASSWORD_ENV}
   * @return the key store
   * @throws IllegalArgumentException if the variable is unset or the store cannot be opened
   */
  public static ClusterKeyStore withPasswordFromEnv(Path path, String variable) {
    String pw = System.getenv(variable);
    if (pw == null) {
      throw new IllegalArgumentException(
          "the password of the key store "
              + path
              + " is expected in the environment variable "
              + variable
              + ", which is not set (or give a password file)");
    }
    return of(path, pw.toCharArray());
  }

  /**
   * Generates a fresh EC key pair (P-256) and a self-signed certificate into a new PKCS12 file of
   * mode 0600, with a random password, by running the JDK's own {@code keytool} (the password goes
   * to it in its environment).
   *
   * @param file the file to create; its directory should be readable by this user only
   * @param name a name for the certificate's subject
   * @return the key store; {@link #delete()} removes the file
   * @throws IOException if keytool fails
   */
  static ClusterKeyStore generate(Path file, String name) throws IOException {
    return startGenerating(file, name).await();
  }

  /**
   * Starts {@code keytool} to generate a key store as {@link #generate} does, and returns at once:
   * the password is known now (worker JVMs can start while keytool runs), the file appears
   * complete, atomically, when {@link Generation#await} has returned.
   *
   * @param file the file to create; its directory should be readable by this user only
   * @param name a name for the certificate's subject
   * @return the running generation
   * @throws IOException if keytool cannot be started
   */
  static Generation startGenerating(Path file, String name) throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>();
    cmd.add(keytool.toString());
    // keytool runs for half a second while the worker JVMs start on the same cores: the quick
    // compiler only and a small GC halve its CPU time
    cmd.addAll(
        List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:CICompilerCount=1", "-J-XX:+UseSerialGC"));
    cmd.addAll(
        List.of(
            "-genkeypair",
            "-noprompt",
            "-storetype",
            "PKCS12",
            "-keystore",
            part.toAbsolutePath().toString(),
            "-alias",
            "jmor",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-sigalg",
            "SHA256withECDSA",
            "-validity",
            "3650",
            "-dname",
            "CN=" + name.replaceAll("[^A-Za-z0-9._-]", "_"),
            "-storepass:env",
            PASSWORD_ENV,
            "-keypass:env",
            PASSWORD_ENV));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(PASSWORD_ENV, new String(password));
    Process p = pb.start();
    ClusterKeyStore ks = new ClusterKeyStore(file, password, true);
    Arrays.fill(password, '\0');
    return new Generation(ks, p, part);
  }

  /** A key store that {@code keytool} is generating ({@link #startGenerating}). */
  static final class Generation {
    private final ClusterKeyStore store;
    private final Process process;
    private final Path part;

    private Generation(ClusterKeyStore store, Process process, Path part) {
      this.store = store;
      this.process = process;
      this.part = part;
    }

    /** The key store to be (its file exists once {@link #await} has returned). */
    ClusterKeyStore store() {
      return store;
    }

    /**
     * Waits (at most 60 s) until keytool has ended, then moves its file into place with mode 0600.
     *
     * @return the key store
     * @throws IOException if keytool fails or does not end in time (then it is ended)
     */
    ClusterKeyStore await() throws IOException {
      awaitProcess();
      install();
      return store;
    }

    /**
     * Waits (at most 60 s) until keytool has ended and checks that it wrote its file.
     *
     * @throws IOException if keytool fails, is ended ({@link #abort}) or does not end in time
     */
    void awaitProcess() throws IOException {
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException("keytool did not end within 60 s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException(
            "interrupted while generating the cluster's key pair");
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(part)) {
        throw new IOException(
            "keytool could not generate the cluster's key pair (exit code "
                + process.exitValue()
                + "): "
                + out);
      }
    }

    /** Moves keytool's file into place with mode 0600 (after {@link #awaitProcess}). */
    void install() throws IOException {
      ownerOnly(part);
      Files.move(part, store.path, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Ends keytool if it still runs and deletes what it wrote. */
    void abort() {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
        Files.deleteIfExists(part);
      } catch (IOException e) {
        // the work directory is deleted as well
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.delete();
    }
  }

  /**
   * Waits until the key store's file exists (a launcher may still be generating it), at most {@code
   * timeoutMillis}.
   *
   * @param file the file
   * @param timeoutMillis how long to wait at most
   * @throws IllegalArgumentException if it does not appear in time
   * @throws InterruptedException if interrupted while waiting
   */
  static void awaitFile(Path file, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!Files.exists(file)) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalArgumentException(
            "the key store " + file + " did not appear within " + timeoutMillis + " ms");
      }
      Thread.sleep(10);
    }
  }

  /** Sets mode 0600 where the file system knows POSIX modes. */
  static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(
          file, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect it
    }
  }

  /** Returns the path of the PKCS12 file. */
  public Path path() {
    return path;
  }

  /** Returns whether the library generated this key store (and deletes it at close). */
  boolean generated() {
    return generated;
  }

  /** Returns a copy of the password (for a worker JVM's environment). */
  char[] password() {
    return password.clone();
  }

  /** Opens the store once: a wrong password or a store without a key fails here, clearly. */
  private void check() {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      boolean key = false;
      for (String alias : java.util.Collections.list(ks.aliases())) {
        key |= ks.isKeyEntry(alias);
      }
      if (!key) {
        throw new IllegalArgumentException(
            "the key store " + path + " holds no private key (each node needs the cluster's key)");
      }
    } catch (java.nio.file.FileSystemException e) {
      throw new IllegalArgumentException(
          "cannot read the key store " + path + ": " + IoReasons.reason(e, path), e);
    } catch (IOException e) {
      // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException,
      // anything else it cannot parse as an IOException of its own
      throw new IllegalArgumentException(
          "cannot open the key store "
              + path
              + ": "
              + (e.getCause() instanceof java.security.UnrecoverableKeyException
                  ? "wrong password (or a damaged file)"
                  : "not a PKCS12 key store"),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot open the key store " + path + ": not a PKCS12 key store", e);
    }
  }

  /**
   * Ignite's SSL context factory: this store as key store and trust store, PKCS12, TLS (the nodes
   * require client certificates on discovery and communication).
   */
  SslContextFactory sslFactory() {
    SslContextFactory f = new SslContextFactory();
    f.setKeyStoreType("PKCS12");
    f.setKeyStoreFilePath(path.toString());
    f.setKeyStorePassword(password.clone());
    f.setTrustStoreType("PKCS12");
    f.setTrustStoreFilePath(path.toString());
    f.setTrustStorePassword(password.clone());
    f.setProtocol("TLS");
    return f;
  }

  /** Deletes the file if the library generated it, and forgets the password. */
  void delete() {
    if (generated) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // the work directory is deleted as well
      }
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public String toString() {
    return "ClusterKeyStore[" + path + (generated ? ", generated]" : "]");
  }
}
