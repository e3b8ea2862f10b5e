package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.ssl.SslContextFactory;

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
   * @throws IllegalArgumentException if the file cannot be read, the password is wrong or the store
   *     holds no private key
   */
  public static ClusterKeyStore of(Path path, char[] password) {
    ClusterKeyStore ks = new ClusterKeyStore(path, password, false);
    ks.check();
    return ks;
  }

  /**
   * A key store whose password is the first line of a file (which should be readable by its owner
   * only).
   *
   * @param path the PKCS12 file
   * @param passwordFile the file with the password
   * @return the key store
   * @throws IllegalArgumentException if a file cannot be read or the store cannot be opened
   */
  public static ClusterKeyStore withPasswordFile(Path path, Path passwordFile) {
    String pw;
    try {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      pw = lines.isEmpty() ? "" : lines.get(0).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the key store password file " + passwordFile + ": " + e.getMessage(), e);
    }
    return of(path, pw.toCharArray());
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
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>();
    cmd.add(keytool.toString());
    cmd.addAll(
        List.of(
            "-genkeypair",
            "-noprompt",
            "-storetype",
            "PKCS12",
            "-keystore",
            file.toAbsolutePath().toString(),
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
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not end within 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the cluster's key pair", e);
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(file)) {
      throw new IOException(
          "keytool could not generate the cluster's key pair (exit code "
              + p.exitValue()
              + "): "
              + out);
    }
    ownerOnly(file);
    ClusterKeyStore ks = new ClusterKeyStore(file, password, true);
    Arrays.fill(password, '\0');
    return ks;
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
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot open the PKCS12 key store "
              + path
              + " (wrong password, or not a PKCS12 file): "
              + e.getMessage(),
          e);
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
