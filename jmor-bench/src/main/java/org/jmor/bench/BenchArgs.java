package org.jmor.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import picocli.CommandLine;

/**
 * The option parsing of every {@code jmor bench} command line, with picocli: each command's options
 * are the {@link CommandLine.Option} fields of its options class, and bad arguments become one
 * {@link BenchMain.Usage} line that names the command (exit code 2, before anything runs).
 */
final class BenchArgs {
  private BenchArgs() {}

  /**
   * Fills the annotated fields of {@code options} from {@code args}.
   *
   * @param command the command's name for messages, e.g. {@code "jmor bench mpi"}
   * @param options an object with {@link CommandLine.Option} fields, one of them {@code usageHelp}
   * @param args the arguments
   * @return false if the usage was asked for ({@code --help}), true otherwise
   * @throws BenchMain.Usage for an unknown option, a missing or a bad value
   */
  static boolean parse(String command, Object options, List<String> args) {
    CommandLine cl = new CommandLine(options);
    try {
      return !cl.parseArgs(args.toArray(new String[0])).isUsageHelpRequested();
    } catch (CommandLine.ParameterException e) {
      String m = String.valueOf(e.getMessage()).strip();
      int newline = m.indexOf('\n');
      throw new BenchMain.Usage(
          command + ": " + (newline < 0 ? m : m.substring(0, newline)) + " (see --help)");
    }
  }

  private static long atLeast(String v, long min) {
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandLine.TypeConversionException("'" + v + "' is not an integer >= " + min);
  }

  /** An integer >= 1. */
  static final class Positive implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      return (int) Math.min(Integer.MAX_VALUE, atLeast(v, 1));
    }
  }

  /** An integer >= 0. */
  static final class NonNegative implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      return (int) Math.min(Integer.MAX_VALUE, atLeast(v, 0));
    }
  }

  /** A number of seconds >= 1. */
  static final class Seconds implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      return atLeast(v, 1);
    }
  }

  /** A text that is not blank, trimmed. */
  static final class Text implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String v) {
      if (v.isBlank()) {
        throw new CommandLine.TypeConversionException("the value is blank");
      }
      return v.trim();
    }
  }

  /** A path that is not blank. */
  static final class PathValue implements CommandLine.ITypeConverter<Path> {
    @Override
    public Path convert(String v) {
      if (v.isBlank()) {
        throw new CommandLine.TypeConversionException("the path is blank");
      }
      return Paths.get(v);
    }
  }
}
