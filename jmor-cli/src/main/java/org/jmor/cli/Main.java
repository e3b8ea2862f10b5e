package org.jmor.cli;

import org.jmor.cli.thermalblock.ThermalBlockCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./jmor} command line. */
@Command(
    name = "jmor",
    mixinStandardHelpOptions = true,
    version = "jmor-parallel 0.1.0",
    description = "pyMOR's worker pools on the JVM: demos and tools.",
    subcommands = {ThermalBlockCommand.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
   * @return the exit code: 0 on success, 2 for bad arguments, 1 for failures
   */
  public static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /**
   * Runs the command line with the given output streams for usage and error messages.
   *
   * @param out where help and usage go
   * @param err where error messages go
   * @param args the arguments
   * @return the exit code: 0 on success, 2 for bad arguments, 1 for failures
   */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr()
              .println(
                  c.getCommandName()
                      + ": "
                      + ex.getMessage()
                      + " (see '"
                      + c.getCommandSpec().qualifiedName()
                      + " --help')");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          Integer exhausted = ResourceExhaustion.report(c.getCommandName(), ex, c.getErr());
          if (exhausted != null) {
            return exhausted;
          }
          if (ex instanceof IllegalArgumentException) {
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            return 2;
          }
          throw ex;
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

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
