package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jmor.parallel.mpi.jni.Mpi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo under a real Slurm (a single node on loopback, {@link SlurmCluster}), submitted with
 * {@code sbatch}: the MPI pool launched by {@code srun --mpi=pmix} and by {@code mpirun} inside the
 * allocation, the batch script of docs/backends/cluster.md for the cluster pool (one node, two
 * tasks), {@code scancel} of a running job, and a run stopped by its time limit and resumed by a
 * second job. Each gives the sequential pool's numbers. Runs after {@code package} (failsafe): the
 * jobs run the CLI jar. Skipped, with the reason, where Slurm cannot start (not root, packages
 * missing, a daemon failing) or the jar is missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class SlurmIT {
  @RegisterExtension static final SlurmCluster SLURM = new SlurmCluster();

  /** The brief's case: {@code thermalblock 2 2 3 5} (81 training parameters, 5 extensions). */
  private static final List<String> CASE = List.of("2", "2", "3", "5");

  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String MPI_ENV =
      String.join(
          "\n",
          "export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none"
              + " OMPI_MCA_pml=ob1 OMPI_MCA_opal_signal=",
          "export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
          "");

  private static Path jar;
  private static Path reference;
  private static String referenceText;

  /** The sequential pool's run of the case, as a job of one task: its JSON and its output. */
  @BeforeAll
  static void sequentialReference() throws Exception {
    // another build's CLI jar with -Djmor.test.cli-jar=PATH (e.g. a branch's, for one test)
    jar = Path.of(System.getProperty("jmor.test.cli-jar", "target/jmor-cli.jar")).toAbsolutePath();
    assumeTrue(Files.isRegularFile(jar), "the CLI jar " + jar + " is missing: run mvn package");
    reference = SLURM.dir().resolve("jobs").resolve("sequential.json");
    String script =
        "#!/bin/bash\n"
            + JAVA
            + " -XX:+UseParallelGC -Xmx512m -jar "
            + jar
            + " thermalblock --pool sequential --no-plots --json "
            + reference
            + " "
            + String.join(" ", CASE)
            + "\n";
    String job = SLURM.submit("sequential", script, Map.of(), "--ntasks=1", "--time=10");
    String state = awaitOrCancel(job, JOB_TIMEOUT);
    referenceText = SLURM.output("sequential");
    assertThat(state).as(referenceText + SLURM.describe(job)).isEqualTo("COMPLETED");
  }

  // ---------------------------------------------------------------- the MPI pool

  @Test
  @Order(1)
  void mpiPool_launchedBySrunWithPmix_givesTheSequentialNumbers() throws Exception {
    assumeMpi();
    Path json = SLURM.dir().resolve("jobs").resolve("srun-pmix.json");
    String script =
        "#!/bin/bash\n"
            + MPI_ENV
            + "srun --mpi=pmix -n 2 "
            + JAVA
            + " -XX:+UseParallelGC -Xmx512m -cp "
            + jar
            + " org.jmor.parallel.mpi.MpiMain org.jmor.cli.Main thermalblock --no-plots --json "
            + json
            + " "
            + String.join(" ", CASE)
            + "\n";
    String job = SLURM.submit("srun-pmix", script, Map.of(), "--ntasks=2", "--time=10");
    String state = awaitOrCancel(job, JOB_TIMEOUT);
    String out = SLURM.output("srun-pmix");
    assertThat(state).as(out + SLURM.describe(job)).isEqualTo("COMPLETED");
    assertThat(out).contains("new parallel pool: mpi#1[2]");
    assertSameNumbers(json, "mpi", 2);
  }

  @Test
  @Order(2)
  void mpiPool_ofAnotherSizeThanTheRanks_isAnErrorNamingBoth() throws Exception {
    assumeMpi();
    String script =
        "#!/bin/bash\n"
            + MPI_ENV
            + "srun --mpi=pmix -n 2 "
            + JAVA
            + " -XX:+UseParallelGC -Xmx512m -cp "
            + jar
            + " org.jmor.parallel.mpi.MpiMain org.jmor.cli.Main thermalblock --no-plots --pool"
            + " mpi:3 "
            + String.join(" ", CASE)
            + "\n";
    String job = SLURM.submit("srun-mismatch", script, Map.of(), "--ntasks=2", "--time=10");
    String state = awaitOrCancel(job, JOB_TIMEOUT);
    String out = SLURM.output("srun-mismatch");
    assertThat(state).as(out).isEqualTo("FAILED");
    assertThat(out)
        .contains(
            "thermalblock: the MPI pool has exactly 2 workers (the ranks of this job, srun"
                + " --mpi=pmix -n 2), got 3; to run on 3 ranks, start the program with srun"
                + " --mpi=pmix -n 3\n");
  }

  @Test
  @Order(3)
  void mpiPool_launchedByMpirunInsideTheAllocation_givesTheSequentialNumbers() throws Exception {
    assumeMpi();
    assumeTrue(SlurmCluster.which("mpirun") != null, "mpirun not found");
    Path json = SLURM.dir().resolve("jobs").resolve("mpirun.json");
    // no -n: mpirun takes the allocation's two tasks
    String script =
        "#!/bin/bash\n"
            + MPI_ENV
            + "mpirun --bind-to none "
            + JAVA
            + " -XX:+UseParallelGC -Xmx512m -cp "
            + jar
            + " org.jmor.parallel.mpi.MpiMain org.jmor.cli.Main thermalblock --no-plots --json "
            + json
            + " "
            + String.join(" ", CASE)
            + "\n";
    String job = SLURM.submit("mpirun", script, Map.of(), "--ntasks=2", "--time=10");
    String state = awaitOrCancel(job, JOB_TIMEOUT);
    String out = SLURM.output("mpirun");
    assertThat(state).as(out + SLURM.describe(job)).isEqualTo("COMPLETED");
    assertThat(out).contains("new parallel pool: mpi#1[2]");
    assertSameNumbers(json, "mpi", 2);
  }

  // ---------------------------------------------------------------- the cluster pool

  @Test
  @Order(4)
  void clusterPool_theReadmesBatchScript_givesTheSequentialNumbers() throws Exception {
    String job = submitReadmeScript("readme-cluster");
    // the driver waits up to JMOR_CLUSTER_TIMEOUT=300s for the workers
    String state = awaitOrCancel(job, Duration.ofMinutes(7));
    String out = SLURM.output("readme-cluster");
    assertThat(state).as(out + SLURM.describe(job)).isEqualTo("COMPLETED");
    assertThat(out)
        .contains("jmor worker 0 of cluster job" + job + " ready")
        .contains("jmor worker 1 of cluster job" + job + " ready")
        .contains("new parallel pool: cluster#1[2]");
    List<String> expected = results(referenceText);
    assertThat(expected).hasSizeGreaterThan(10);
    assertThat(results(out)).isEqualTo(expected);
    assertThat(SlurmCluster.withEnvironment("SLURM_JOB_ID", job)).isEmpty();
  }

  @Test
  @Order(5)
  void scancel_ofARunningJob_leavesNoProcess() throws Exception {
    String job = submitReadmeScript("scancel");
    try {
      // running: both workers up (the driver JVM runs beside them)
      String ready0 = "jmor worker 0 of cluster job" + job + " ready";
      String ready1 = "jmor worker 1 of cluster job" + job + " ready";
      long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
      while (!(SLURM.output("scancel").contains(ready0) && SLURM.output("scancel").contains(ready1))
          && System.nanoTime() < deadline
          && SLURM.state(job).matches("PENDING|CONFIGURING|RUNNING")) {
        Thread.sleep(250);
      }
      String out = SLURM.output("scancel");
      assertThat(out).as(out).contains(ready0, ready1);
      List<ProcessHandle> before = javaProcesses(job);
      assertThat(before).as(out).hasSizeGreaterThanOrEqualTo(3); // the driver and two workers
      assertThat(SLURM.state(job)).isEqualTo("RUNNING");

      SlurmCluster.Result r = SLURM.command(List.of("scancel", job), Duration.ofSeconds(30));
      assertThat(r.code()).as(r.out()).isZero();
      assertThat(SLURM.await(job, Duration.ofSeconds(60))).isEqualTo("CANCELLED");
      // slurmstepd sends SIGTERM, then SIGKILL after KillWait (5 s): wait for that, then some
      long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<ProcessHandle> left = SlurmCluster.withEnvironment("SLURM_JOB_ID", job);
      while (!left.isEmpty() && System.nanoTime() < gone) {
        Thread.sleep(250);
        left = SlurmCluster.withEnvironment("SLURM_JOB_ID", job);
      }
      assertThat(left).as(SlurmCluster.describe(left)).isEmpty();
      // ended: gone, or a zombie that this container's init has not reaped yet
      assertThat(before).noneMatch(SlurmIT::running);
    } finally {
      SLURM.cancelIfRunning(job);
    }
  }

  // ---------------------------------------------------------------- time limit and resume

  /**
   * A greedy search with true errors ({@code 2 2 4 24}: 256 training parameters, a full-order solve
   * of each per extension): long enough that a time limit falls in its middle.
   */
  private static final List<String> LONG_CASE =
      // long enough (about 3.5 s of CPU per extension here; the limited job shares the two cores
      // with the uninterrupted one) that the time limit, which slurmctld enforces only every 30 s,
      // falls inside the search also on a faster host
      List.of("--no-greedy-with-error-estimator", "2", "2", "4", "24");

  /**
   * A run stopped by its time limit ({@code sbatch --time}; Slurm sends SIGTERM, then SIGKILL after
   * KillWait) and resumed from its checkpoint by a second job gives the numbers of a run that was
   * never stopped. The limit is shortened with {@code scontrol update EndTime} once the checkpoint
   * holds an extension, so that it falls mid-run on any machine (slurmctld enforces limits every 30
   * s, and a limit is at least a minute). The uninterrupted run and the limited one are jobs of one
   * CPU each (the node has two) and run at the same time, so that the wait for slurmctld's check
   * overlaps the reference run; the resumed job runs beside the rest of it. Skipped while the CLI
   * has no {@code --checkpoint}.
   */
  @Test
  @Order(6)
  void timeLimit_thenResumeInASecondJob_givesTheNumbersOfAnUninterruptedRun() throws Exception {
    SlurmCluster.Result help =
        SLURM.command(
            List.of(JAVA, "-jar", jar.toString(), "thermalblock", "--help"),
            Duration.ofSeconds(120));
    assumeTrue(
        help.out().contains("--checkpoint") && help.out().contains("--resume"),
        "the CLI has no --checkpoint FILE / --resume FILE yet (issue 18, item 2)");
    Path jobs = SLURM.dir().resolve("jobs");
    Path uninterrupted = jobs.resolve("uninterrupted.json");
    Path checkpoint = jobs.resolve("limited.ckpt");
    Path stopped = jobs.resolve("limited.json");
    Path resumed = jobs.resolve("resumed.json");
    String cli =
        JAVA
            + " -XX:+UseParallelGC -Xmx512m -jar "
            + jar
            + " thermalblock --pool threads:2 --no-plots";
    String cases = String.join(" ", LONG_CASE);

    String ref =
        SLURM.submit(
            "uninterrupted",
            "#!/bin/bash\n" + cli + " --json " + uninterrupted + " " + cases + "\n",
            Map.of(),
            "--ntasks=1",
            "--cpus-per-task=1",
            "--time=20");
    String resume = null;
    try {
      // exec: the JVM is the batch step's process and gets Slurm's SIGTERM itself
      String limited =
          SLURM.submit(
              "limited",
              "#!/bin/bash\nexec "
                  + cli
                  + " --checkpoint "
                  + checkpoint
                  + " --json "
                  + stopped
                  + " "
                  + cases
                  + "\n",
              Map.of(),
              "--ntasks=1",
              "--cpus-per-task=1",
              "--time=20");
      try {
        // mid-run: the second extension has ended, so the checkpoint holds at least one
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!(Files.exists(checkpoint)
                && SLURM.output("limited").contains("Maximum error after 2 extensions"))
            && System.nanoTime() < deadline
            && SLURM.state(limited).matches("PENDING|CONFIGURING|RUNNING")) {
          Thread.sleep(100);
        }
        assertThat(checkpoint).as(SLURM.output("limited")).exists();
        assertThat(SLURM.output("limited")).contains("Maximum error after 2 extensions");
        SlurmCluster.Result u =
            SLURM.command(
                List.of("scontrol", "update", "JobId=" + limited, "EndTime=now+2"),
                Duration.ofSeconds(30));
        assertThat(u.code()).as(u.out()).isZero();
        String state = SLURM.await(limited, Duration.ofMinutes(3));
        assumeTrue(
            !state.equals("COMPLETED") && !Files.exists(stopped),
            "the run ended before slurmctld enforced the time limit (it checks every 30 s)");
        assertThat(state)
            .as(SLURM.output("limited") + SLURM.describe(limited))
            .isEqualTo("TIMEOUT");
        assertThat(SLURM.output("limited")).contains("DUE TO TIME LIMIT");
        assertThat(stopped).doesNotExist();
      } finally {
        SLURM.cancelIfRunning(limited);
      }

      resume =
          SLURM.submit(
              "resumed",
              "#!/bin/bash\n"
                  + cli
                  + " --resume "
                  + checkpoint
                  + " --json "
                  + resumed
                  + " "
                  + cases
                  + "\n",
              Map.of(),
              "--ntasks=1",
              "--cpus-per-task=1",
              "--time=20");
      assertThat(awaitOrCancel(ref, Duration.ofMinutes(8)))
          .as(SLURM.output("uninterrupted"))
          .isEqualTo("COMPLETED");
      assertThat(awaitOrCancel(resume, Duration.ofMinutes(8)))
          .as(SLURM.output("resumed"))
          .isEqualTo("COMPLETED");
    } finally {
      SLURM.cancelIfRunning(ref);
      if (resume != null) {
        SLURM.cancelIfRunning(resume);
      }
    }
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(uninterrupted.toFile());
    JsonNode b = m.readTree(resumed.toFile());
    for (String f : List.of("max_errs", "max_err_mus", "max_err_indices")) {
      assertThat(b.get("greedy").get(f)).as(f).isEqualTo(a.get("greedy").get(f));
    }
    for (String f :
        List.of("mus", "h1_0_semi_errs", "l2_errs", "estimates", "effectivities", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
    assertThat(b.get("basis_size")).isEqualTo(a.get("basis_size"));
  }

  // ---------------------------------------------------------------- helpers

  /** Waits for the job's end; after {@code timeout} cancels it (the state says it timed out). */
  private static String awaitOrCancel(String job, Duration timeout) throws Exception {
    String state = SLURM.await(job, timeout);
    SLURM.cancelIfRunning(job);
    return state;
  }

  private static void assumeMpi() {
    assumeTrue(
        Mpi.isAvailable(), () -> "the MPI shim is not available: " + Mpi.unavailableReason());
  }

  /** Whether a process is alive and not a zombie ({@code /proc/PID/stat} state Z). */
  private static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", "" + p.pid(), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return false; // gone
    }
  }

  /** The java processes of a job: those with its {@code SLURM_JOB_ID} whose command is java. */
  private static List<ProcessHandle> javaProcesses(String job) {
    return SlurmCluster.withEnvironment("SLURM_JOB_ID", job).stream()
        .filter(p -> p.info().command().orElse("").endsWith("java"))
        .toList();
  }

  /**
   * Submits the batch script of docs/backends/cluster.md for the cluster pool, with one node and
   * two tasks instead of two nodes of one task, from a directory whose {@code ./jmor} runs the
   * built jar (the real launcher would first build when sources are newer than the jar, which a
   * test must not do); its {@code $HOME/cluster.p12} is a key store made for the job.
   */
  private static String submitReadmeScript(String name) throws Exception {
    String readme = Files.readString(Path.of("..", "docs", "backends", "cluster.md"));
    int at = readme.indexOf("\nUnder Slurm");
    assertThat(at).as("docs/backends/cluster.md: the paragraph 'Under Slurm'").isPositive();
    int open = readme.indexOf("```sh\n", at);
    int close = readme.indexOf("```\n", open + 6);
    String script = readme.substring(open + 6, close);
    String original = "#SBATCH --nodes=2 --ntasks-per-node=1";
    assertThat(script).startsWith("#!/bin/bash\n" + original + " ");
    script = script.replace(original, "#SBATCH --nodes=1 --ntasks-per-node=2");

    Path jobs = SLURM.dir().resolve("jobs");
    Path launcher = jobs.resolve("jmor");
    if (!Files.exists(launcher)) {
      Files.writeString(
          launcher, "#!/bin/sh\nexec " + JAVA + " -XX:+UseParallelGC -jar " + jar + " \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path home = Files.createDirectories(jobs.resolve("home-" + name));
    byte[] pw = new byte[18];
    new SecureRandom().nextBytes(pw);
    String password = Base64.getEncoder().encodeToString(pw);
    Map<String, String> env =
        Map.of("HOME", home.toString(), "JMOR_CLUSTER_KEY_STORE_PASSWORD", password);
    SlurmCluster.Result k =
        SLURM.command(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-storetype",
                "PKCS12",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-alias",
                "jmor",
                "-dname",
                "CN=jmor-cluster",
                "-validity",
                "365",
                "-keystore",
                home.resolve("cluster.p12").toString(),
                "-storepass:env",
                "JMOR_CLUSTER_KEY_STORE_PASSWORD"),
            env,
            Duration.ofSeconds(60));
    assertThat(k.code()).as(k.out()).isZero();
    Files.setPosixFilePermissions(
        home.resolve("cluster.p12"), PosixFilePermissions.fromString("rw-------"));
    return SLURM.submit(name, script, env);
  }

  private static final Pattern RESULT_LINE = Pattern.compile(" {3,}[A-Za-z].*:.*");

  /** The lines of the demo's results block that carry numbers (not the elapsed times). */
  static List<String> results(String output) {
    int at = output.indexOf("*** RESULTS ***");
    if (at < 0) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String line : output.substring(at).split("\n")) {
      if (RESULT_LINE.matcher(line).matches() && !line.contains("elapsed time")) {
        lines.add(line.stripTrailing());
      }
    }
    return lines;
  }

  private static void assertSameNumbers(Path json, String kind, int size) throws IOException {
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(reference.toFile());
    JsonNode b = m.readTree(json.toFile());
    assertThat(b.get("pool").get("kind").asText()).isEqualTo(kind);
    assertThat(b.get("pool").get("size").asInt()).isEqualTo(size);
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    assertThat(b.get("greedy").get("max_err_indices"))
        .isEqualTo(a.get("greedy").get("max_err_indices"));
    for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
  }
}
