package org.jmor.parallel.spi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Starts worker JVMs on this host for a backend whose workers are processes, and ends them: N JVMs
 * with the caller's class path (and, by default, its memory and module flags), each writing its
 * standard output and error to its own log file.
 *
 * <ul>
 *   <li><b>Secrets</b> (a key, a password, a handshake secret) go to the workers through {@link
 *       Builder#environment(Map)}, never on a command line, which other users of the host can read.
 *   <li><b>Failed starts</b> are reported by {@link #startFailure(Collection, String)} with pyMOR's
 *       words "k of N workers failed to start" and each failed worker's last log lines.
 *   <li><b>Ending.</b> {@link #close(Duration)} closes each worker's standard input (a worker that
 *       calls {@link #exitWithParent()} exits), waits up to the grace, then kills each process and
 *       its children, and deletes the log directory it created. A failed {@link Builder#start()}
 *       ends what it started; a shutdown hook ends everything when the caller's JVM exits; and a
 *       worker that calls {@link #exitWithParent()} exits when the caller dies without running its
 *       hooks (SIGKILL), because its standard input then ends; it then deletes its own log file
 *       and, when it is the last, the log directory, if the launcher created that directory (nobody
 *       is left to read them, and nothing stays behind in {@code java.io.tmpdir}).
 *   <li><b>Loss.</b> {@link #onExit(BiConsumer)} reports a worker process that ends before {@link
 *       #close}, with its exit code, so that a transport can fail its requests at once ({@link
 *       PendingReplies#workerLost}).
 * </ul>
 *
 * Thread-safe.
 */
public final class WorkerProcesses implements AutoCloseable {
  /**
   * The environment variable through which the launcher tells a worker the path of its log file
   * when the launcher created the log directory; {@link #exitWithParent} deletes that file.
   */
  static final String OWNED_LOG_ENV = "JMOR_WORKER_OWNED_LOG";

  /** The environment variable with the launching process's id, for {@link #deleteLogIfOrphaned}. */
  static final String LAUNCHER_PID_ENV = "JMOR_WORKER_LAUNCHER_PID";

  private final String name;
  private final List<Process> processes;
  private final List<Path> logs;
  private final @Nullable Path ownedLogDir;
  private final Thread hook;
  private volatile boolean closed;

  private WorkerProcesses(
      String name,
      List<Process> processes,
      List<Path> logs,
      @Nullable Path ownedLogDir,
      Duration shutdownGrace) {
    this.name = name;
    this.processes = List.copyOf(processes);
    this.logs = List.copyOf(logs);
    this.ownedLogDir = ownedLogDir;
    this.hook = new Thread(() -> end(shutdownGrace), name + "-shutdown");
  }

  /**
   * Starts describing worker JVMs that run {@code mainClass}.
   *
   * @param mainClass the fully qualified name of the workers' main class
   * @return a builder
   */
  public static Builder builder(String mainClass) {
    return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
  }

  /** Returns the number of workers. */
  public int size() {
    return processes.size();
  }

  /**
   * Returns worker {@code i}'s process.
   *
   * @param i the worker index
   * @return the process
   */
  public Process process(int i) {
    return processes.get(i);
  }

  /**
   * Returns worker {@code i}'s log file (its standard output and error).
   *
   * @param i the worker index
   * @return the path
   */
  public Path log(int i) {
    return logs.get(i);
  }

  /**
   * Returns the last lines of worker {@code i}'s log, for messages.
   *
   * @param i the worker index
   * @param lines how many lines at most
   * @return the lines, joined with newlines; empty if the log is empty or unreadable
   */
  public String lastLines(int i, int lines) {
    Deque<String> tail = new ArrayDeque<>();
    try (Stream<String> s = Files.lines(logs.get(i), StandardCharsets.UTF_8)) {
      s.forEach(
          line -> {
            tail.add(line);
            if (tail.size() > lines) {
              tail.removeFirst();
            }
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
    return String.join("\n", tail);
  }

  /**
   * Builds the exception of a failed start: {@code "k of N workers failed to start: WHAT"}, then
   * each failed worker's state (running, or its exit code) and its last 10 log lines.
   *
   * @param failed the indices of the workers that failed
   * @param what why, for example {@code "no handshake within 10000 ms"}
   * @return the exception; build it before {@link #close()}, which deletes the logs it quotes when
   *     the launcher made their directory
   */
  public IllegalStateException startFailure(Collection<Integer> failed, String what) {
    StringBuilder m =
        new StringBuilder()
            .append(failed.size())
            .append(" of ")
            .append(processes.size())
            .append(" workers failed to start: ")
            .append(what);
    for (int i : failed) {
      Process p = processes.get(i);
      m.append("\nworker ")
          .append(i)
          .append(" (process ")
          .append(p.pid())
          .append(p.isAlive() ? ", running" : ", exit code " + p.exitValue())
          .append(")");
      String tail = lastLines(i, 10);
      m.append(tail.isEmpty() ? ": its log is empty" : ", its last log lines:\n" + tail.indent(2));
    }
    return new IllegalStateException(m.toString().stripTrailing());
  }

  /**
   * Calls {@code listener} with a worker's index and a description when its process ends before
   * {@link #close} (for example {@code "its process 4711 exited with code 137"}), on a thread of
   * the JDK's process reaper. Workers that have ended already are reported at once.
   *
   * @param listener the listener
   */
  public void onExit(BiConsumer<Integer, String> listener) {
    Objects.requireNonNull(listener, "listener");
    for (int i = 0; i < processes.size(); i++) {
      int worker = i;
      Process p = processes.get(i);
      var unused =
          p.onExit()
              .thenRun(
                  () -> {
                    if (!closed) {
                      listener.accept(
                          worker, "its process " + p.pid() + " exited with code " + p.exitValue());
                    }
                  });
    }
  }

  /**
   * Ends the workers: closes their standard input (a worker that calls {@link #exitWithParent()}
   * then exits at once: a transport that wants its workers to end their tasks in order tells them
   * first, over its own connection, and waits), waits up to {@code grace} for them to exit, then
   * kills each process and its children, and deletes the log directory if this launcher created it.
   * Blocks for at most about {@code grace} plus 5 seconds. Idempotent; a call while another one (or
   * the shutdown hook) is ending the workers returns only once they have ended, and a shorter grace
   * than the other call's kills them sooner.
   *
   * @param grace how long the workers may take to exit by themselves
   */
  public void close(Duration grace) {
    boolean first;
    synchronized (this) {
      first = !closed;
      closed = true;
    }
    if (first) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs as well
      }
    }
    // every caller ends them, so that none returns while a worker still runs (for example the
    // owner's shutdown hook while this launcher's own hook waits out its grace)
    end(grace);
  }

  /** Same as {@code close(Duration.ofSeconds(2))}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private void end(Duration grace) {
    closed = true;
    for (Process p : processes) {
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        // gone already
      }
    }
    long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
    for (Process p : processes) {
      try {
        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Process p : processes) {
      destroyTree(p);
    }
    if (ownedLogDir != null) {
      deleteTree(ownedLogDir);
    }
  }

  /**
   * Kills a process and its children at once (SIGKILL) and waits up to 5 s for it to end.
   *
   * @param p the process
   */
  public static void destroyTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // best effort
    }
  }

  /**
   * For a worker's main method: ends this JVM (with {@link Runtime#halt(int) halt(status)}) when
   * its standard input ends, that is when the launcher closes it or the launching JVM dies (however
   * it dies). Starts a daemon thread that reads and discards standard input.
   *
   * @param status the exit status to halt with
   */
  public static void exitWithParent(int status) {
    Thread t =
        new Thread(
            () -> {
              InputStream in = System.in;
              byte[] buf = new byte[256];
              try {
                while (in.read(buf) >= 0) {
                  // discard
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone
              }
              deleteOwnLog();
              Runtime.getRuntime().halt(status);
            },
            "jmor-exit-with-parent");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Deletes this worker's log file, and its directory when that is empty, if the launcher created
   * the directory (it says so through {@value #OWNED_LOG_ENV}). The launcher deletes them too when
   * it closes; this covers a launcher that died without closing.
   */
  private static void deleteOwnLog() {
    String log = System.getenv(OWNED_LOG_ENV);
    if (log == null || log.isEmpty()) {
      return;
    }
    try {
      Path file = Path.of(log);
      Files.deleteIfExists(file);
      Path dir = file.getParent();
      if (dir != null) {
        Files.deleteIfExists(dir); // fails while another worker's log is still there
      }
    } catch (IOException | RuntimeException e) {
      // best effort: the directory is not empty, or already gone
    }
  }

  /**
   * For a worker about to exit for a reason of its own (its connection to the caller ended, say):
   * deletes its log file, and the log directory when that is empty, if the launcher created the
   * directory and the launching process has died, so that nobody will read or delete them. While
   * the launcher lives, the log stays for it to quote in a failure and delete on close.
   */
  public static void deleteLogIfOrphaned() {
    String pid = System.getenv(LAUNCHER_PID_ENV);
    try {
      boolean orphaned =
          pid == null || ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true);
      if (orphaned) {
        deleteOwnLog();
      }
    } catch (NumberFormatException e) {
      // not started by this launcher
    }
  }

  /** Same as {@code exitWithParent(0)}. */
  public static void exitWithParent() {
    exitWithParent(0);
  }

  @Override
  public String toString() {
    return "WorkerProcesses[" + name + ", " + processes.size() + " workers]";
  }

  /** Describes the worker JVMs to start. Not thread-safe. */
  public static final class Builder {
    private final String mainClass;
    private int workers = 1;
    private IntFunction<List<String>> arguments = i -> List.of();
    private final List<String> jvmOptions = new ArrayList<>();
    private IntFunction<List<String>> workerJvmOptions = i -> List.of();
    private boolean inheritJvmOptions = true;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private @Nullable Path logDirectory;
    private String name = "jmor-worker";
    private String classPath = System.getProperty("java.class.path", "");
    private Duration shutdownGrace = Duration.ofSeconds(1);

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    /**
     * Sets the number of worker JVMs (default 1).
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder workers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * Sets the program arguments of each worker (default none). Never put a secret here.
     *
     * @param arguments worker index to its arguments
     * @return this builder
     */
    public Builder arguments(IntFunction<List<String>> arguments) {
      this.arguments = Objects.requireNonNull(arguments, "arguments");
      return this;
    }

    /**
     * Adds JVM options for every worker, after the inherited ones (so they win).
     *
     * @param options for example {@code -Xmx1g}
     * @return this builder
     */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(List.copyOf(options));
      return this;
    }

    /**
     * Sets JVM options of single workers, after the common ones of {@link #jvmOptions(List)} (so
     * they win): for example a class-data archive that only worker 0 records.
     *
     * @param options worker index to its own options
     * @return this builder
     */
    public Builder jvmOptions(IntFunction<List<String>> options) {
      this.workerJvmOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets whether the workers get the caller's memory, garbage-collector, module and system
     * property flags (default true). Debugger and profiler agents, flight recordings and class-data
     * archives of the caller are never passed on.
     *
     * @param inherit whether to pass them on
     * @return this builder
     */
    public Builder inheritJvmOptions(boolean inherit) {
      this.inheritJvmOptions = inherit;
      return this;
    }

    /**
     * Adds environment variables for every worker, on top of the caller's environment: the place
     * for secrets.
     *
     * @param variables name to value
     * @return this builder
     */
    public Builder environment(Map<String, String> variables) {
      environment.putAll(Map.copyOf(variables));
      return this;
    }

    /**
     * Sets the directory of the workers' log files ({@code worker-<i>.log}); default: a new
     * directory under {@code java.io.tmpdir} (mode 0700) that {@link #close} deletes.
     *
     * @param dir an existing directory, kept at close
     * @return this builder
     */
    public Builder logDirectory(Path dir) {
      this.logDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Sets a name for threads and messages (default {@code "jmor-worker"}).
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets how long the shutdown hook lets the workers exit by themselves (after closing their
     * standard input) before it kills them, when the caller's JVM exits without {@link
     * WorkerProcesses#close} (default 1 s; longer for a worker that writes something as it exits).
     *
     * @param grace at least zero
     * @return this builder
     */
    public Builder shutdownGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("the shutdown grace must be >= 0, got " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Sets the workers' class path (default: the caller's {@code java.class.path}).
     *
     * @param classPath the class path
     * @return this builder
     */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /**
     * Returns the command line of worker {@code i} (for logs and tests).
     *
     * @param i the worker index
     * @return the command
     */
    public List<String> command(int i) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (inheritJvmOptions) {
        cmd.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments()));
      }
      cmd.addAll(jvmOptions);
      cmd.addAll(workerJvmOptions.apply(i));
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add(mainClass);
      cmd.addAll(arguments.apply(i));
      return cmd;
    }

    /** The caller's flags that a worker JVM should share. */
    static List<String> inherited(List<String> callerFlags) {
      List<String> out = new ArrayList<>();
      for (String f : callerFlags) {
        boolean agent =
            f.startsWith("-agentlib")
                || f.startsWith("-agentpath")
                || f.startsWith("-javaagent")
                || f.startsWith("-Xrunjdwp")
                || f.startsWith("-Xdebug")
                || f.contains("FlightRecord")
                || f.startsWith("-XX:SharedArchiveFile")
                || f.startsWith("-XX:ArchiveClassesAtExit")
                || f.startsWith("-Xshare")
                || f.startsWith("-Xlog")
                || f.startsWith("-XX:+HeapDumpOnOutOfMemoryError")
                || f.startsWith("-XX:HeapDumpPath")
                || f.startsWith("-Djava.class.path")
                || f.startsWith("-Dsun.java.command")
                || f.startsWith("-Dbasedir")
                || f.startsWith("-Dsurefire")
                || f.startsWith("-Dlocalrepository");
        if (!agent) {
          out.add(f);
        }
      }
      return out;
    }

    /**
     * Starts the workers. They run from the caller's working directory, each writing to its log.
     *
     * @return the running workers
     * @throws IOException if a JVM cannot be started or the log directory cannot be made, or an
     *     {@link java.io.InterruptedIOException} if the JVM began to exit meanwhile (in every case
     *     nothing is left running)
     */
    public WorkerProcesses start() throws IOException {
      Path owned = null;
      Path dir = logDirectory;
      if (dir == null) {
        dir = Files.createTempDirectory(name + "-");
        owned = dir;
      }
      List<Process> started = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      try {
        for (int i = 0; i < workers; i++) {
          Path log = dir.resolve("worker-" + i + ".log");
          ProcessBuilder pb = new ProcessBuilder(command(i));
          pb.redirectErrorStream(true);
          pb.redirectOutput(log.toFile());
          pb.environment().putAll(environment);
          if (owned != null) {
            pb.environment().put(OWNED_LOG_ENV, log.toAbsolutePath().toString());
            pb.environment().put(LAUNCHER_PID_ENV, Long.toString(ProcessHandle.current().pid()));
          }
          logs.add(log);
          started.add(pb.start());
        }
      } catch (IOException | RuntimeException e) {
        started.forEach(WorkerProcesses::destroyTree);
        if (owned != null) {
          deleteTree(owned);
        }
        throw e;
      }
      WorkerProcesses w = new WorkerProcesses(name, started, logs, owned, shutdownGrace);
      try {
        Runtime.getRuntime().addShutdownHook(w.hook);
      } catch (IllegalStateException e) {
        // the JVM began to exit while they started: nobody would end them
        w.end(Duration.ZERO);
        throw new java.io.InterruptedIOException(
            "the JVM is shutting down: " + name + " not started");
      }
      return w;
    }
  }
}
