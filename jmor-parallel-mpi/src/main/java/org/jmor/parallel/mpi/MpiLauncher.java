package org.jmor.parallel.mpi;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one launcher of {@code mpirun} of the project: the command line and the Open MPI environment
 * that {@code ./jmor mpi}, the MPI tests and the MPI benchmarks all use.
 *
 * <p>The command is {@code mpirun -n RANKS --allow-run-as-root --oversubscribe --bind-to none
 * PROGRAM...}: a JVM per rank, so no binding to single cores; more ranks than cores allowed. The
 * environment ({@link #ENVIRONMENT}) selects the shared-memory transport without kernel assists
 * ({@code vader}, no single-copy mechanism: containers often forbid {@code CMA}), the {@code ob1}
 * messaging layer, running as root, and no Open MPI signal handlers (they print a second backtrace
 * over the JVM's own). A variable that the environment already sets is left as it is, so a user can
 * choose another transport ({@code OMPI_MCA_btl=self,tcp}).
 *
 * <p>As a program ({@code java -cp <jar> org.jmor.parallel.mpi.MpiLauncher -n RANKS [--]
 * PROGRAM...}, used by the {@code jmor} script) it prints, each followed by a NUL byte, the
 * environment assignments {@code NAME=VALUE} to add and then the command line, ready for {@code
 * exec env ...}; it exits with 2 and a one-line message when the arguments are wrong or mpirun is
 * missing. Slurm jobs start ranks with {@code srun --mpi=pmix} themselves: no launcher is needed
 * there.
 */
public final class MpiLauncher {
  private MpiLauncher() {}

  /**
   * The Open MPI environment of every launch (unmodifiable, in a fixed order), applied where the
   * environment does not set the variable already.
   */
  public static final Map<String, String> ENVIRONMENT = environmentDefaults();

  private static Map<String, String> environmentDefaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("OMPI_MCA_btl", "self,vader");
    m.put("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
    m.put("OMPI_MCA_pml", "ob1");
    m.put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    m.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    m.put("OMPI_MCA_opal_signal", "");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Returns the variables of {@link #ENVIRONMENT} that {@code current} does not set (a variable set
   * to the empty string counts as set), in the order of {@link #ENVIRONMENT}.
   *
   * @param current an environment, e.g. {@link System#getenv()}; not modified
   * @return a new modifiable map
   */
  public static Map<String, String> environment(Map<String, String> current) {
    Map<String, String> out = new LinkedHashMap<>();
    ENVIRONMENT.forEach(
        (k, v) -> {
          if (!current.containsKey(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * Returns the mpirun executable: {@code $MPIRUN} if set, else {@code mpirun} in a directory of
   * {@code $PATH}, else {@code /usr/bin/mpirun} (which may not exist: see {@link #mpirunFound()}).
   *
   * @return the path or name of mpirun
   */
  public static String mpirun() {
    return mpirun(System.getenv());
  }

  /**
   * {@link #mpirun()} for a given environment.
   *
   * @param env the environment to read {@code MPIRUN} and {@code PATH} from
   * @return the path or name of mpirun
   */
  public static String mpirun(Map<String, String> env) {
    String explicit = env.get("MPIRUN");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String path = env.get("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator, -1)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "mpirun");
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return "/usr/bin/mpirun";
  }

  /**
   * Returns whether {@link #mpirun()} is an executable file.
   *
   * @return whether mpirun can be started
   */
  public static boolean mpirunFound() {
    return Files.isExecutable(Path.of(mpirun()));
  }

  /**
   * Throws unless mpirun can be started.
   *
   * @throws IllegalStateException saying how to install Open MPI, if {@link #mpirunFound()} is
   *     false
   */
  public static void requireMpirun() {
    if (!mpirunFound()) {
      throw new IllegalStateException(
          "mpirun not found ("
              + mpirun()
              + "); install Open MPI (apt-get install openmpi-bin libopenmpi-dev) or set MPIRUN");
    }
  }

  /**
   * Returns the command line {@code mpirun -n RANKS --allow-run-as-root --oversubscribe --bind-to
   * none PROGRAM...}.
   *
   * @param ranks the number of ranks, at least 1
   * @param program the program each rank runs and its arguments (copied)
   * @return a new modifiable list
   * @throws IllegalArgumentException if {@code ranks < 1} or {@code program} is empty
   */
  public static List<String> command(int ranks, List<String> program) {
    if (ranks < 1) {
      throw new IllegalArgumentException("mpirun: the number of ranks must be >= 1, got " + ranks);
    }
    if (program.isEmpty()) {
      throw new IllegalArgumentException("mpirun: no program to run");
    }
    List<String> cmd = new ArrayList<>(prefix(ranks));
    cmd.addAll(program);
    return cmd;
  }

  /**
   * Returns {@code mpirun -n RANKS --allow-run-as-root --oversubscribe --bind-to none}, for a
   * caller that appends the program itself.
   *
   * @param ranks the number of ranks, at least 1
   * @return a new modifiable list
   * @throws IllegalArgumentException if {@code ranks < 1}
   */
  public static List<String> prefix(int ranks) {
    if (ranks < 1) {
      throw new IllegalArgumentException("mpirun: the number of ranks must be >= 1, got " + ranks);
    }
    List<String> cmd = new ArrayList<>(List.of(mpirun()));
    cmd.addAll(flags(ranks));
    return cmd;
  }

  private static List<String> flags(int ranks) {
    return List.of(
        "-n",
        Integer.toString(ranks),
        "--allow-run-as-root",
        "--oversubscribe",
        "--bind-to",
        "none");
  }

  /**
   * Returns a process builder for {@code command} whose environment is this JVM's plus {@link
   * #environment} of it. Standard input, output and error are left to the caller; nothing is
   * started.
   *
   * @param command a command line, typically from {@link #command}
   * @return a new process builder
   */
  public static ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(environment(env));
    return pb;
  }

  /**
   * Prints the launch for {@code exec env}: the assignments to add, then the command line, each
   * followed by a NUL byte. Arguments: {@code -n RANKS [--] PROGRAM...}.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String error = print(args, System.getenv(), out);
    out.flush();
    if (error != null) {
      System.err.println("jmor mpi: " + error);
      System.exit(2);
    }
  }

  /**
   * What {@link #main} does, without exiting: writes the launch to {@code out} or returns why not.
   *
   * @return null, or a one-line error (then nothing was written)
   */
  static @Nullable String print(String[] args, Map<String, String> env, PrintStream out) {
    int ranks = 2;
    int i = 0;
    if (i < args.length && (args[i].equals("-n") || args[i].equals("--np"))) {
      if (i + 1 >= args.length) {
        return "-n needs a number of ranks";
      }
      try {
        ranks = Integer.parseInt(args[i + 1]);
      } catch (NumberFormatException e) {
        return "the number of ranks must be >= 1, got '" + args[i + 1] + "'";
      }
      i += 2;
    }
    if (i < args.length && args[i].equals("--")) {
      i++;
    }
    if (ranks < 1) {
      return "the number of ranks must be >= 1, got '" + ranks + "'";
    }
    if (i >= args.length) {
      return "usage: MpiLauncher [-n RANKS] [--] PROGRAM [ARGS...]";
    }
    String mpirun = mpirun(env);
    if (!Files.isExecutable(Path.of(mpirun))) {
      return "mpirun not found ("
          + mpirun
          + "); install Open MPI (apt-get install openmpi-bin libopenmpi-dev) and rebuild";
    }
    List<String> cmd = new ArrayList<>(List.of(mpirun));
    cmd.addAll(flags(ranks));
    cmd.addAll(List.of(args).subList(i, args.length));
    StringBuilder sb = new StringBuilder();
    environment(env).forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
    for (String c : cmd) {
      sb.append(c).append('\0');
    }
    out.print(sb);
    return null;
  }
}
