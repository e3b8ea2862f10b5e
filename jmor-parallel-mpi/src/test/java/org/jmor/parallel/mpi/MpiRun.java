package org.jmor.parallel.mpi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.mpi.jni.Mpi;

/**
 * Test harness: runs a Java main class on {@code P} ranks under {@code mpirun}, bounded by a
 * timeout.
 *
 * <p>The command is {@link MpiLauncher#command} of {@code java <jvm options> -cp <this JVM's test
 * class path> <main class> <args>}, with {@link MpiLauncher}'s environment (shared-memory transport
 * only, no single-copy mechanism, no second backtrace on a JVM crash, allowed as root). Output goes
 * to temporary files, so a chatty rank never blocks on a full pipe. On timeout the mpirun process
 * <em>and all its descendants</em> (the ranks, orted) are killed. Use {@link #assumeMpi()} first in
 * every test that needs MPI: it skips the test with the reason when the shim or mpirun is missing.
 *
 * <pre>{@code
 * MpiRun.Result r = MpiRun.main(MyMain.class).ranks(3).args("x").timeout(Duration.ofSeconds(60)).run();
 * assertThat(r.exitCode()).as(r.describe()).isZero();
 * }</pre>
 */
public final class MpiRun {

  /** The default JVM options of the ranks: small heaps, quick start. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto");

  /** The main class of a Java program, or null for a native program. */
  private final String mainClass;

  /** A native program and its fixed arguments (empty for a Java program). */
  private final List<String> program = new ArrayList<>();

  private final List<String> args = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
  private final List<String> mpirunOptions = new ArrayList<>();
  private int ranks = 2;
  private Duration timeout = Duration.ofSeconds(60);

  private MpiRun(String mainClass, List<String> program) {
    this.mainClass = mainClass;
    this.program.addAll(program);
  }

  /**
   * A Java program: {@code java <jvm options> -cp <test class path> mainClass <args>}.
   *
   * @param mainClass the class whose {@code main} each rank runs
   * @return a launch to configure
   */
  public static MpiRun main(Class<?> mainClass) {
    return new MpiRun(mainClass.getName(), List.of());
  }

  /**
   * A native program (for example the C benchmark).
   *
   * @param executable the program and its fixed arguments
   * @return a launch to configure
   */
  public static MpiRun executable(String... executable) {
    return new MpiRun(null, List.of(executable));
  }

  /**
   * @param n the number of ranks ({@code -n})
   * @return this
   */
  public MpiRun ranks(int n) {
    this.ranks = n;
    return this;
  }

  /**
   * @param a program arguments, appended
   * @return this
   */
  public MpiRun args(String... a) {
    args.addAll(List.of(a));
    return this;
  }

  /**
   * @param options JVM options of the ranks, replacing {@link #DEFAULT_JVM_OPTIONS}
   * @return this
   */
  public MpiRun jvmOptions(String... options) {
    jvmOptions.clear();
    jvmOptions.addAll(List.of(options));
    return this;
  }

  /**
   * @param options extra mpirun options (before the program), e.g. {@code --tag-output}
   * @return this
   */
  public MpiRun mpirunOptions(String... options) {
    mpirunOptions.addAll(List.of(options));
    return this;
  }

  /**
   * @param t how long to wait for mpirun before killing it and its descendants
   * @return this
   */
  public MpiRun timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  /**
   * @return the full command line
   */
  public List<String> command() {
    List<String> cmd = MpiLauncher.prefix(ranks);
    cmd.addAll(mpirunOptions);
    if (mainClass != null) {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.add("-cp");
      cmd.add(testClassPath());
      cmd.add(mainClass);
    } else {
      cmd.addAll(program);
    }
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Runs mpirun and waits at most the timeout.
   *
   * @return the outcome
   */
  public Result run() {
    List<String> cmd = command();
    try {
      Path out = Files.createTempFile("mpirun-", ".out");
      Path err = Files.createTempFile("mpirun-", ".err");
      try {
        ProcessBuilder pb = MpiLauncher.processBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          destroyTree(p);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        int code = done ? p.exitValue() : -1;
        return new Result(
            cmd,
            code,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8),
            !done,
            elapsed);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for mpirun", e);
    }
  }

  /** Kills a process and every descendant (children first), then waits briefly for them. */
  static void destroyTree(Process p) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    for (ProcessHandle h : all) {
      h.destroyForcibly();
    }
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    for (ProcessHandle h : all) {
      h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
    }
  }

  /**
   * The outcome of a launch.
   *
   * @param command the command line
   * @param exitCode mpirun's exit code, -1 after a timeout
   * @param stdout what the ranks and mpirun wrote to standard output
   * @param stderr what they wrote to standard error
   * @param timedOut whether the timeout struck (the process tree was then killed)
   * @param elapsed the wall time until mpirun ended or was killed
   */
  public record Result(
      List<String> command,
      int exitCode,
      String stdout,
      String stderr,
      boolean timedOut,
      Duration elapsed) {

    /**
     * @return everything, for assertion messages
     */
    public String describe() {
      return "mpirun exit "
          + exitCode
          + (timedOut ? " (TIMED OUT)" : "")
          + " after "
          + elapsed.toMillis()
          + " ms\ncommand: "
          + String.join(" ", command)
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }

    /**
     * @param prefix the start of the lines wanted
     * @return the lines of stdout that start with prefix
     */
    public List<String> lines(String prefix) {
      return stdout.lines().filter(l -> l.startsWith(prefix)).toList();
    }
  }

  /**
   * @return the mpirun executable ({@link MpiLauncher#mpirun()})
   */
  public static String mpirun() {
    return MpiLauncher.mpirun();
  }

  /**
   * @return whether {@link #mpirun()} is an executable file
   */
  public static boolean mpirunFound() {
    return MpiLauncher.mpirunFound();
  }

  /** Skips the calling test (JUnit assumption) unless the shim is loaded and mpirun is present. */
  public static void assumeMpi() {
    assumeTrue(Mpi.isAvailable(), () -> "MPI tests skipped: " + Mpi.unavailableReason());
    assumeTrue(
        mpirunFound(),
        () ->
            "MPI tests skipped: mpirun not found (install Open MPI: apt-get install openmpi-bin"
                + " libopenmpi-dev)");
  }

  /**
   * The test class path of this JVM: Surefire's {@code surefire.test.class.path} if set (its {@code
   * java.class.path} may be a manifest-only jar), else {@code java.class.path}.
   */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return cp;
  }
}
