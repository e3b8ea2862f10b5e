package org.jmor.cli.thermalblock;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --plot-dir DIR} and {@code --no-plots}: where a command writes its PNG plots, or that it
 * writes none. A picocli mixin shared by {@code thermalblock} and the {@code analyze-pickle}
 * subcommands.
 */
final class PlotOptions {

  @Option(
      names = "--plot-dir",
      defaultValue = "jmor-output",
      paramLabel = "DIR",
      description = "Directory for the PNG plots (default: ${DEFAULT-VALUE}).")
  Path plotDir;

  @Option(names = "--no-plots", description = "Write no PNG files at all.")
  boolean noPlots;

  /** Whether plots are written (no {@code --no-plots}). */
  boolean enabled() {
    return !noPlots;
  }

  /** The directory of the plots ({@code --plot-dir}). */
  Path dir() {
    return plotDir;
  }

  /** The plot file {@code name} in {@code --plot-dir}. */
  Path file(String name) {
    return plotDir.resolve(name);
  }

  /**
   * Before any work: unless {@code --no-plots}, the plots {@code names} can be written in {@code
   * --plot-dir}.
   *
   * @throws IllegalArgumentException naming {@code --plot-dir} and the reason
   */
  void check(List<String> names) {
    if (!noPlots) {
      Outputs.checkFilesIn("--plot-dir", plotDir, names);
    }
  }
}
