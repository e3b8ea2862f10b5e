package org.jmor.cli;

import org.jmor.cli.thermalblock.AnalyzePickleCommand;
import org.jmor.cli.thermalblock.ThermalBlockCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./jmor} command line. */
@Command(
    name = "jmor",
    mixinStandardHelpOptions = true,
    version = "jmor-parallel 0.1.0",
    description = "pyMOR's worker pools on the JVM: demos and tools.",
    subcommands = {
      ThermalBlockCommand.class,
      AnalyzePickleCommand.class,
      SweepCommand.class,
      BenchCommand.class,
      WorkerCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure while running, 2 bad input, 130 interrupted (Ctrl-C),"
          + " 143 terminated (SIGTERM)."
    })
public final class Main implements java.util.concurrent.Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    Interrupts.install();
    System.exit(run(args));
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @return the exit code: {@link #OK}, {@link #FAILED}, {@link #BAD_INPUT} or {@link #INTERRUPTED}
   */
  public static int run(String... args) {
    // through System.out and System.err as they are at each write (an interrupt silences them)
    return run(
        new java.io.PrintWriter(new Current(false), true),
        new java.io.PrintWriter(new Current(true), true),
        args);
  }

  /** Writes to {@code System.out} or {@code System.err} as it is at the time of the write. */
  private static final class Current extends java.io.OutputStream {
    private final boolean err;

    Current(boolean err) {
      this.err = err;
    }

    private java.io.PrintStream stream() {
      return err ? System.err : System.out;
    }

    @Override
    public void write(int b) {
      stream().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      stream().write(b, off, len);
    }

    @Override
    public void flush() {
      stream().flush();
    }
  }

  /**
   * Runs the command line with the given output streams for usage and error messages.
   *
   * @param out where help and usage go
   * @param err where error messages go
   * @param args the arguments
   * @return the exit code: {@link #OK}, {@link #FAILED}, {@link #BAD_INPUT} or {@link #INTERRUPTED}
   */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    registerConverters(cl);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr()
              .println(
                  Shown.cutLongWords(
                      c.getCommandName()
                          + ": "
                          + ex.getMessage()
                          + " (see '"
                          + c.getCommandSpec().qualifiedName()
                          + " --help')"));
          return BAD_INPUT;
        });
    cl.setExecutionStrategy(
        parsed -> {
          CommandLine.ParseResult last = parsed;
          while (last.subcommand() != null) {
            last = last.subcommand();
          }
          Interrupts.command(last.commandSpec().name());
          return new CommandLine.RunLast().execute(parsed);
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (Interrupts.signalled()) {
            // SIGINT or SIGTERM: its one line is printed; what the teardown broke is noise
            return Interrupts.exitCode();
          }
          // one line, no stack trace: resources exhausted, bad input (checked before any work),
          // interrupted, failed
          Integer exhausted = ResourceExhaustion.report(c.getCommandName(), ex, c.getErr());
          if (exhausted != null) {
            return exhausted;
          }
          if (ex instanceof IllegalArgumentException) {
            c.getErr()
                .println(
                    Shown.cutLongWords(c.getCommandName() + ": " + firstLine(ex.getMessage())));
            if (System.getenv("JMOR_DEBUG") != null) {
              ex.printStackTrace(c.getErr());
            }
            return BAD_INPUT;
          }
          if (interrupted(ex)) {
            c.getErr().println(c.getCommandName() + ": interrupted");
            return INTERRUPTED;
          }
          c.getErr().println(Shown.cutLongWords(c.getCommandName() + ": " + describe(ex)));
          if (System.getenv(DEBUG_VARIABLE) != null) {
            ex.printStackTrace(c.getErr());
          }
          return FAILED;
        });
    try {
      return cl.execute(args);
    } catch (Error e) {
      Integer exhausted = ResourceExhaustion.report(commandName(cl), e, err);
      if (exhausted == null) {
        throw e;
      }
      return exhausted;
    }
  }

  private static String commandName(CommandLine cl) {
    CommandLine.ParseResult parsed = cl.getParseResult();
    while (parsed != null && parsed.subcommand() != null) {
      parsed = parsed.subcommand();
    }
    return parsed == null ? cl.getCommandName() : parsed.commandSpec().name();
  }

  /** The environment variable that adds stack traces to the messages of internal errors. */
  static final String DEBUG_VARIABLE = "JMOR_DEBUG";

  /** Exit code: success. */
  public static final int OK = 0;

  /** Exit code: a failure while running (after the input was checked). */
  public static final int FAILED = 1;

  /** Exit code: bad input (arguments, configuration, output paths), reported before any work. */
  public static final int BAD_INPUT = 2;

  /** Exit code: interrupted (Ctrl-C), as shells report SIGINT. */
  public static final int INTERRUPTED = 130;

  private static boolean interrupted(Throwable ex) {
    if (Thread.interrupted()) {
      return true;
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof java.io.InterruptedIOException
          || t instanceof java.util.concurrent.CancellationException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  /** A one-line description of a failure, without exception class names. */
  static String describe(Throwable ex) {
    Throwable t = ex;
    if (t instanceof java.io.UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    String what;
    if (t instanceof java.nio.file.FileSystemException) {
      java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) t;
      String reason =
          t instanceof java.nio.file.AccessDeniedException
              ? "permission denied"
              : t instanceof java.nio.file.NoSuchFileException
                  ? "no such file or directory"
                  : f.getReason() != null ? f.getReason() : "cannot access";
      what = "cannot write " + f.getFile() + ": " + reason;
      return firstLine(what);
    } else if (t.getMessage() != null && !t.getMessage().isBlank()) {
      what = t.getMessage();
    } else {
      what = "internal error (" + t.getClass().getName().replace("Exception", "") + ")";
    }
    if (t instanceof java.io.IOException) {
      return firstLine(what);
    }
    return firstLine(what)
        + (System.getenv(DEBUG_VARIABLE) == null ? " (JMOR_DEBUG=1 shows the stack trace)" : "");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).stripTrailing();
  }

  /** Without a command: the usage on standard error, exit code 2 ({@link #BAD_INPUT}). */
  @Override
  public Integer call() {
    return missingCommand(spec);
  }

  /**
   * For a command that only has subcommands, run without one: one line and the usage on standard
   * error.
   *
   * @param spec the command
   * @return {@link #BAD_INPUT}
   */
  public static int missingCommand(CommandLine.Model.CommandSpec spec) {
    CommandLine c = spec.commandLine();
    c.getErr()
        .println(
            c.getCommandName()
                + ": a command is required: one of "
                + String.join(
                    ", ",
                    c.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    c.usage(c.getErr());
    return BAD_INPUT;
  }

  /**
   * The converters of every command's values: a path must not be empty (an empty path would mean
   * the current directory), and an integer that does not fit says "too large", showing at most
   * {@value Shown#LIMIT} characters of the value.
   */
  private static void registerConverters(CommandLine cl) {
    cl.registerConverter(
        java.nio.file.Path.class,
        v -> {
          if (v.isBlank()) {
            throw new CommandLine.TypeConversionException(
                "the path is empty (give a file or directory name; '.' is the current directory)");
          }
          try {
            return java.nio.file.Path.of(v);
          } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException(
                "'" + Shown.cut(v) + "' is not a valid path: " + e.getReason());
          }
        });
    CommandLine.ITypeConverter<Integer> ints =
        v -> (int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    cl.registerConverter(Integer.class, ints);
    cl.registerConverter(Integer.TYPE, ints);
    CommandLine.ITypeConverter<Long> longs = v -> integer(v, Long.MIN_VALUE, Long.MAX_VALUE);
    cl.registerConverter(Long.class, longs);
    cl.registerConverter(Long.TYPE, longs);
  }

  private static long integer(String value, long min, long max) {
    String t = value.trim();
    try {
      long n = Long.parseLong(t);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      if (!t.matches("[+-]?[0-9]+")) {
        throw new CommandLine.TypeConversionException(
            "'" + Shown.cut(value) + "' is not an integer");
      }
    }
    boolean negative = t.startsWith("-");
    throw new CommandLine.TypeConversionException(
        "'"
            + Shown.cut(t)
            + (negative ? "' is too small (at least " + min : "' is too large (at most " + max)
            + ")");
  }
}
