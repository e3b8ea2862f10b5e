package org.jmor.parallel.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing (AppCDS) for the worker JVMs that {@link IgnitePools#start}
 * launches: the first cluster started with a class path records the classes its worker 0 loaded
 * into an archive ({@code -XX:ArchiveClassesAtExit}, written when that worker exits); later worker
 * JVMs map it ({@code -XX:SharedArchiveFile}) and skip most of the loading and verification of
 * Ignite's classes, which takes about a third of a worker's start on 2 cores. The archive lives in
 * a directory of this user only ({@code $XDG_CACHE_HOME/jmor/cds} or {@code ~/.cache/jmor/cds},
 * mode 0700; or the system property {@value #DIR_PROPERTY}), named by a digest of the JDK, the JVM
 * options and every class-path jar's path, size and modification time, so a rebuilt jar gets a new
 * one. A JVM that cannot use an archive runs without it. Used only when the class path consists of
 * jar files without {@code Class-Path} manifests (CDS archives no directories); turned off by the
 * system property {@value #PROPERTY}{@code =false} or when the worker JVM options name CDS options
 * themselves.
 */
final class ClassDataSharing {
  private static final Logger LOG = LoggerFactory.getLogger(ClassDataSharing.class);

  /** The system property that turns AppCDS for worker JVMs off ({@code false}). */
  static final String PROPERTY = "jmor.cluster.cds";

  /** The system property that names the archive directory. */
  static final String DIR_PROPERTY = "jmor.cluster.cds-dir";

  /** How many archives the directory keeps (the newest). */
  static final int KEEP = 3;

  /** What the launcher gives the worker JVMs. */
  record Plan(
      List<String> firstWorker, List<String> otherWorkers, @Nullable Path dump, Path archive) {
    Plan {
      firstWorker = List.copyOf(firstWorker);
      otherWorkers = List.copyOf(otherWorkers);
    }

    /** No archive: no options. */
    static @Nullable Plan none() {
      return null;
    }

    /**
     * After the worker that recorded the archive has exited: moves the complete archive into place
     * when the worker ended normally, else deletes it.
     */
    void finish(boolean exitedNormally) {
      Path d = dump;
      if (d == null) {
        return;
      }
      try {
        if (exitedNormally && Files.size(d) > 0 && !Files.exists(archive)) {
          Files.move(d, archive, StandardCopyOption.ATOMIC_MOVE);
          LOG.debug("recorded the worker class-data archive {}", archive);
        } else {
          Files.deleteIfExists(d);
        }
      } catch (IOException e) {
        try {
          Files.deleteIfExists(d);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private ClassDataSharing() {}

  /**
   * The CDS options of a cluster's worker JVMs, or null when AppCDS is off or not possible here.
   *
   * @param classPath the worker JVMs' class path
   * @param jvmOptions the user's worker JVM options
   */
  static @Nullable Plan plan(String classPath, List<String> jvmOptions) {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip())) {
      return Plan.none();
    }
    for (String o : jvmOptions) {
      if (o.startsWith("-Xshare")
          || o.contains("SharedArchiveFile")
          || o.contains("ArchiveClassesAtExit")) {
        return Plan.none();
      }
    }
    try {
      String key = key(classPath, jvmOptions);
      if (key == null) {
        return Plan.none();
      }
      Path dir = directory();
      if (dir == null) {
        return Plan.none();
      }
      prune(dir);
      Path archive = dir.resolve(key + ".jsa");
      if (Files.isRegularFile(archive)) {
        List<String> use = List.of("-XX:SharedArchiveFile=" + archive);
        return new Plan(use, use, null, archive);
      }
      Path dump =
          dir.resolve(
              key + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      return new Plan(List.of("-XX:ArchiveClassesAtExit=" + dump), List.of(), dump, archive);
    } catch (IOException | RuntimeException e) {
      LOG.debug("no class-data sharing for the worker JVMs: {}", e.toString());
      return Plan.none();
    }
  }

  /** The digest naming the archive, or null when an entry of the class path is not a plain jar. */
  private static @Nullable String key(String classPath, List<String> jvmOptions)
      throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(System.getProperty("java.home")).append('\n');
    sb.append(System.getProperty("java.vm.version")).append('\n');
    sb.append(String.join(" ", jvmOptions)).append('\n');
    String[] entries = classPath.split(File.pathSeparator);
    if (classPath.isBlank() || entries.length == 0) {
      return null;
    }
    for (String entry : entries) {
      Path jar = Path.of(entry).toAbsolutePath();
      if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
        return null; // a directory: CDS archives classes from jars only
      }
      try (JarFile jf = new JarFile(jar.toFile())) {
        Manifest m = jf.getManifest();
        if (m != null && m.getMainAttributes().getValue("Class-Path") != null) {
          return null; // e.g. a test runner's manifest-only jar
        }
      }
      sb.append(jar)
          .append(' ')
          .append(Files.size(jar))
          .append(' ')
          .append(Files.getLastModifiedTime(jar).toMillis())
          .append('\n');
    }
    return HexFormat.of()
        .formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
  }

  /** The archive directory (made with mode 0700), or null when it is not this user's only. */
  private static @Nullable Path directory() throws IOException {
    String configured = System.getProperty(DIR_PROPERTY);
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
    } else {
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path cache =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".cache");
      dir = cache.resolve("jmor").resolve("cds");
    }
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made by another launcher at the same time
      } catch (UnsupportedOperationException e) {
        return null;
      }
    }
    // an archive is code: use it only from a directory that nobody else can write to
    if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
            .getName()
            .equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(ownerOnly)) {
      LOG.debug("no class-data sharing: {} is not this user's only (mode 0700)", dir);
      return null;
    }
    return dir;
  }

  /** Keeps the {@value #KEEP} newest archives, and deletes records older than an hour. */
  private static void prune(Path dir) throws IOException {
    List<Path> archives = new ArrayList<>();
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (n.endsWith(".jsa")) {
          archives.add(f);
        } else if (n.endsWith(".tmp") && Files.getLastModifiedTime(f).toMillis() < hourAgo) {
          Files.deleteIfExists(f);
        }
      }
    }
    archives.sort(
        Comparator.comparingLong(
                (Path f) -> {
                  try {
                    return Files.getLastModifiedTime(f).toMillis();
                  } catch (IOException e) {
                    return 0L;
                  }
                })
            .reversed());
    for (int i = KEEP; i < archives.size(); i++) {
      Files.deleteIfExists(archives.get(i));
    }
  }
}
