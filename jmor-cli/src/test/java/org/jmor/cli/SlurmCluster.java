package org.jmor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A single-node Slurm (Debian's {@code slurm-wlm} 22.05 and {@code munge}) on loopback, for tests,
 * as root: its own {@code munged} (a fresh key, its own socket), {@code slurmctld} and {@code
 * slurmd} in the foreground as children of this JVM, with their configuration, state, spool and
 * logs under {@code target/slurm-<id>/} and free ports of their own, so two fixtures (two builds)
 * never meet. The node is {@code localhost} (127.0.0.1) with 2 CPUs, {@code proctrack/linuxproc},
 * {@code task/none}, {@code select/cons_tres}, {@code MpiDefault=none} and {@code KillWait=5}.
 *
 * <p>As a JUnit 5 extension ({@code @RegisterExtension static}) it starts before the class's tests
 * and stops after them; where Slurm cannot start (not root, a package missing, a daemon failing) it
 * aborts the class's tests with the reason (and a daemon's last log lines). {@link #close()}
 * cancels every job, stops the daemons and then kills every process that still carries this
 * fixture's marker variable ({@value #MARKER}) in its environment: the daemons pass it to the job
 * steps' {@code slurmstepd}, and jobs get it from the submitting environment. A shutdown hook does
 * the same if the JVM ends first. Every wait has a time limit.
 */
final class SlurmCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  /** The environment variable that marks every process of one fixture. */
  static final String MARKER = "JMORTEST_SLURM_FIXTURE"; // not JMOR_*: that is configuration

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern JOB_STATE = Pattern.compile("JobState=(\\S+)");

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private Path dir = Path.of("target").toAbsolutePath().resolve("slurm-" + id);
  private Path conf = dir.resolve("slurm.conf");
  private final List<Process> daemons = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Thread hook = new Thread(this::stop, "slurm-fixture-stop");
  private boolean started;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Starts munged, slurmctld and slurmd, then waits until {@code sinfo} shows the node idle.
   *
   * @throws TestAbortedException where Slurm cannot start here, with the reason
   */
  void start() throws IOException, InterruptedException {
    String uid = run(List.of("id", "-u"), Duration.ofSeconds(10)).out.trim();
    if (!uid.equals("0")) {
      throw new TestAbortedException(
          "Slurm fixture: needs root (slurmd runs jobs as root), uid " + uid);
    }
    List<String> missing = new ArrayList<>();
    for (String tool :
        List.of("munged", "munge", "slurmctld", "slurmd", "sbatch", "sinfo", "scontrol", "srun")) {
      if (which(tool) == null) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      throw new TestAbortedException(
          "Slurm fixture: "
              + String.join(", ", missing)
              + " not found (apt-get install slurm-wlm munge; .ci/run does)");
    }
    // unix socket paths are limited to 107 bytes: PMIx puts its sockets under the spool directory
    if (dir.toString().length() > 60) {
      dir = Files.createTempDirectory("jmor-slurm-");
      conf = dir.resolve("slurm.conf");
    }
    Files.createDirectories(dir);
    Path munge = Files.createDirectories(dir.resolve("munge"));
    Path state = Files.createDirectories(dir.resolve("state"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Path log = Files.createDirectories(dir.resolve("log"));
    Files.createDirectories(dir.resolve("jobs"));
    Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = munge.resolve("munge.key");
    byte[] secret = new byte[1024];
    new SecureRandom().nextBytes(secret);
    Files.write(key, secret);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    Path socket = munge.resolve("munge.socket");

    env.putAll(cleanEnvironment());
    env.put(MARKER, id);
    env.put("SLURM_CONF", conf.toString());

    int ctldPort = freePort();
    int slurmdPort = freePort();
    String config =
        String.join(
            "\n",
            "# written by the test fixture SlurmCluster; everything under " + dir,
            "ClusterName=jmor" + id.substring(0, 4),
            "SlurmctldHost=localhost(127.0.0.1)",
            "SlurmUser=root",
            "SlurmdUser=root",
            "SlurmctldPort=" + ctldPort,
            "SlurmdPort=" + slurmdPort,
            "AuthType=auth/munge",
            "CredType=cred/munge",
            "AuthInfo=socket=" + socket,
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "StateSaveLocation=" + state,
            "SlurmdSpoolDir=" + spool,
            "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
            "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
            "SlurmctldLogFile=" + log.resolve("slurmctld.log"),
            "SlurmdLogFile=" + log.resolve("slurmd.log"),
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            // the node as configured, whatever this machine has (CPUs=2 also on one core)
            "SlurmdParameters=config_overrides",
            "KillWait=5",
            "MinJobAge=600",
            "ReturnToService=2",
            "InactiveLimit=0",
            "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN",
            "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP"
                + " OverSubscribe=YES",
            "");
    Files.writeString(conf, config);
    // 22.05 has no "disabled" cgroup plugin; v1 loads here (gVisor, cgroup v1 hierarchy) and is
    // not used by proctrack/linuxproc and task/none
    Files.writeString(dir.resolve("cgroup.conf"), "CgroupPlugin=cgroup/v1\n");

    Runtime.getRuntime().addShutdownHook(hook);
    started = true;
    try {
      daemons.add(
          daemon(
              "munged",
              List.of(
                  "munged",
                  "--foreground",
                  "--force",
                  "--socket=" + socket,
                  "--key-file=" + key,
                  "--pid-file=" + munge.resolve("munged.pid"),
                  "--seed-file=" + munge.resolve("munged.seed"),
                  "--log-file=" + log.resolve("munged.log"))));
      awaitMunge(socket, log.resolve("munged.log"));
      daemons.add(daemon("slurmctld", List.of("slurmctld", "-D", "-f", conf.toString())));
      daemons.add(
          daemon("slurmd", List.of("slurmd", "-D", "-f", conf.toString(), "-N", "localhost")));
      awaitIdle(log);
    } catch (IOException | RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  /** The directory of this fixture (configuration, logs, and {@code jobs/} for the tests). */
  Path dir() {
    return dir;
  }

  /** The environment for Slurm commands and jobs: this JVM's, without Slurm's, MPI's and PMIx's. */
  Map<String, String> environment() {
    return Map.copyOf(env);
  }

  private static Map<String, String> cleanEnvironment() {
    Map<String, String> e = new HashMap<>(System.getenv());
    e.keySet()
        .removeIf(
            k ->
                k.startsWith("SLURM_")
                    || k.startsWith("SBATCH_")
                    || k.startsWith("SRUN_")
                    || k.startsWith("PMIX_")
                    || k.startsWith("PMI_")
                    || k.startsWith("OMPI_"));
    return e;
  }

  private Process daemon(String name, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("log").resolve(name + ".out").toFile());
    pb.directory(dir.toFile());
    return pb.start();
  }

  private void awaitMunge(Path socket, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!daemons.get(0).isAlive()) {
        break;
      }
      if (Files.exists(socket)) {
        Result r =
            run(
                List.of(
                    "sh",
                    "-c",
                    "munge -n -S \"$1\" | unmunge -S \"$1\" >/dev/null",
                    "sh",
                    socket.toString()),
                Duration.ofSeconds(10));
        if (r.code == 0) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new TestAbortedException(
        "Slurm fixture: munged did not start; its log ends with:\n" + tail(log, 15));
  }

  private void awaitIdle(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      for (int i = 1; i < daemons.size(); i++) {
        if (!daemons.get(i).isAlive()) {
          String name = i == 1 ? "slurmctld" : "slurmd";
          throw new TestAbortedException(
              "Slurm fixture: "
                  + name
                  + " exited with "
                  + daemons.get(i).exitValue()
                  + "; its log ends with:\n"
                  + tail(log.resolve(name + ".log"), 15)
                  + tail(log.resolve(name + ".out"), 5));
        }
      }
      Result r = command(List.of("sinfo", "-h", "-N", "-o", "%T"), Duration.ofSeconds(10));
      last = r.out.trim();
      if (r.code == 0 && last.equals("idle")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new TestAbortedException(
        "Slurm fixture: the node was not idle after "
            + START_TIMEOUT.toSeconds()
            + " s (sinfo: '"
            + last
            + "'); slurmctld's log ends with:\n"
            + tail(log.resolve("slurmctld.log"), 10)
            + "slurmd's:\n"
            + tail(log.resolve("slurmd.log"), 10));
  }

  /**
   * Submits a batch script written to {@code jobs/NAME.sh}, its output to {@code jobs/NAME.out}.
   *
   * @param name the job's name (files and {@code --job-name})
   * @param script the script's text
   * @param extraEnv variables added to the submitting environment (the job gets them)
   * @param options more {@code sbatch} options
   * @return the job id
   */
  String submit(String name, String script, Map<String, String> extraEnv, String... options)
      throws IOException, InterruptedException {
    Path jobs = dir.resolve("jobs");
    Path file = jobs.resolve(name + ".sh");
    Files.writeString(file, script);
    List<String> cmd = new ArrayList<>();
    cmd.add("sbatch");
    cmd.add("--parsable");
    cmd.add("--job-name=" + name);
    cmd.add("--output=" + jobs.resolve(name + ".out"));
    cmd.add("--chdir=" + jobs);
    cmd.addAll(List.of(options));
    cmd.add(file.toString());
    Result r = command(cmd, extraEnv, COMMAND_TIMEOUT);
    if (r.code != 0) {
      throw new IllegalStateException("sbatch failed (" + r.code + "): " + r.out);
    }
    return r.out.trim().split(";")[0];
  }

  /** The job's output file so far. */
  String output(String name) throws IOException {
    Path out = dir.resolve("jobs").resolve(name + ".out");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  /** The job's state from {@code scontrol show job} ({@code PENDING}, {@code RUNNING}, ...). */
  String state(String job) throws IOException, InterruptedException {
    Result r = command(List.of("scontrol", "show", "job", job), COMMAND_TIMEOUT);
    Matcher m = JOB_STATE.matcher(r.out);
    if (r.code != 0 || !m.find()) {
      throw new IllegalStateException("scontrol show job " + job + " failed: " + r.out);
    }
    return m.group(1);
  }

  /** The whole record of {@code scontrol show job} (for messages). */
  String describe(String job) throws IOException, InterruptedException {
    return command(List.of("scontrol", "show", "job", job), COMMAND_TIMEOUT).out;
  }

  /**
   * Waits until the job has ended (no longer pending, configuring, running, completing or
   * suspended).
   *
   * @return its final state, or {@code "TIMED-OUT-WAITING"} after {@code timeout}
   */
  String await(String job, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String s = state(job);
      if (!List.of("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "RESIZING")
          .contains(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        return "TIMED-OUT-WAITING";
      }
      Thread.sleep(250);
    }
  }

  /**
   * Cancels the job if it has not ended, and waits (up to a minute) until it has: for the {@code
   * finally} of a test, so that a failed test leaves no job that holds the node.
   */
  void cancelIfRunning(String job) throws IOException, InterruptedException {
    if (!List.of("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED")
        .contains(state(job))) {
      return;
    }
    command(List.of("scancel", job), COMMAND_TIMEOUT);
    await(job, Duration.ofSeconds(60));
  }

  /** Runs a Slurm client command (or any command) in the fixture's environment. */
  Result command(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
    return command(cmd, Map.of(), timeout);
  }

  Result command(List<String> cmd, Map<String, String> extraEnv, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    return run(pb, timeout);
  }

  /**
   * The processes that carry {@code NAME=VALUE} in their environment (from {@code
   * /proc/PID/environ}), other than this JVM.
   */
  static List<ProcessHandle> withEnvironment(String name, String value) {
    byte[] needle = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .forEach(
            p -> {
              try {
                byte[] environ = Files.readAllBytes(Path.of("/proc", "" + p.pid(), "environ"));
                if (containsEntry(environ, needle)) {
                  found.add(p);
                }
              } catch (IOException | UncheckedIOException | SecurityException e) {
                // gone, or not readable: not ours
              }
            });
    return found;
  }

  private static boolean containsEntry(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length) {
          boolean same = true;
          for (int j = 0; j < entry.length && same; j++) {
            same = environ[start + j] == entry[j];
          }
          if (same) {
            return true;
          }
        }
        start = i + 1;
      }
    }
    return false;
  }

  /** A description of processes for messages: pid and command line. */
  static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + ProcessCommandLines.of(p))
        .collect(Collectors.joining("; "));
  }

  @Override
  public void close() {
    if (!started) {
      return;
    }
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (stop is idempotent)
    }
  }

  private synchronized void stop() {
    if (!started) {
      return;
    }
    started = false;
    try {
      if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
        // end the jobs the Slurm way first (their steps get SIGTERM, then SIGKILL after KillWait)
        command(List.of("scancel", "--full", "--user=root"), Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
          Result q = command(List.of("squeue", "-h", "-o", "%i"), Duration.ofSeconds(10));
          if (q.code != 0 || q.out.isBlank()) {
            break;
          }
          Thread.sleep(250);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the daemons are ended below in any case
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).destroy(); // SIGTERM: each daemon shuts down cleanly
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process d = daemons.get(i);
      try {
        if (!d.waitFor(10, TimeUnit.SECONDS)) {
          d.destroyForcibly();
          d.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        d.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    // whatever is left of this fixture (a slurmstepd, a job's process): SIGKILL
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ProcessHandle> left = withEnvironment(MARKER, id);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.forEach(ProcessHandle::destroyForcibly);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = withEnvironment(MARKER, id);
    }
    if (!left.isEmpty()) {
      System.err.println("Slurm fixture: processes left after close: " + describe(left));
    }
  }

  // ------------------------------------------------------------------ helpers

  record Result(int code, String out) {}

  private static Result run(List<String> cmd, Duration timeout)
      throws IOException, InterruptedException {
    return run(new ProcessBuilder(cmd), timeout);
  }

  private static Result run(ProcessBuilder pb, Duration timeout)
      throws IOException, InterruptedException {
    pb.redirectErrorStream(true);
    Path out = Files.createTempFile("jmor-slurm-cmd", ".out");
    try {
      pb.redirectOutput(out.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(
            -1,
            "timed out after "
                + timeout.toSeconds()
                + " s: "
                + String.join(" ", pb.command())
                + "\n"
                + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static Path which(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      Path p = Path.of(d.isEmpty() ? "." : d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(" + file.getFileName() + ": none)\n";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
              .collect(Collectors.joining("\n"))
          + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "(" + file + ": " + e.getMessage() + ")\n";
    }
  }

  @Override
  public String toString() {
    return "SlurmCluster[" + id + " in " + dir + "]";
  }
}
