package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.io.DetailedModelId;
import org.jmor.thermalblock.io.ModelFiles;

/**
 * {@code thermalblock --pickle PREFIX}: pyMOR's two lines and the two files {@code PREFIX_reduced}
 * and {@code PREFIX_detailed} ({@link ModelFiles}).
 */
final class Pickles {
  private Pickles() {}

  static Path reducedFile(String prefix) {
    return Path.of(prefix + "_reduced");
  }

  static Path detailedFile(String prefix) {
    return Path.of(prefix + "_detailed");
  }

  /**
   * Checks, before any work, that both files can be written. A prefix that ends with a separator
   * ({@code DIR/}) is refused: it would write the hidden-looking files {@code DIR/_reduced} and
   * {@code DIR/_detailed}.
   */
  static void check(String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("--pickle: the prefix is empty");
    }
    if (prefix.endsWith("/") || prefix.endsWith(java.io.File.separator)) {
      throw new IllegalArgumentException(
          "--pickle "
              + prefix
              + ": names a directory, not a prefix; the files are PREFIX_reduced and"
              + " PREFIX_detailed, so give for example "
              + prefix
              + "run (writes "
              + prefix
              + "run_reduced and "
              + prefix
              + "run_detailed)");
    }
    Outputs.checkFile("--pickle", reducedFile(prefix));
    Outputs.checkFile("--pickle", detailedFile(prefix));
  }

  /**
   * Writes both files, printing pyMOR's lines (a blank line first, as pyMOR's {@code \n}).
   *
   * @throws IllegalStateException if the reductor's basis is not that of {@code rom}
   */
  static void write(
      PrintStream out,
      String prefix,
      ThermalBlockModel fom,
      StationaryRBReductor reductor,
      ReducedModel rom,
      ParameterSpace space)
      throws IOException {
    if (reductor.basisSize() != rom.dim()) {
      throw new IllegalStateException(
          "the reductor has " + reductor.basisSize() + " basis vectors, the model " + rom.dim());
    }
    out.println();
    out.println("Writing reduced model to file " + prefix + "_reduced ...");
    DetailedModelId id = DetailedModelId.of(fom, reductor);
    Path reduced = reducedFile(prefix);
    // missing directories are created, as for every result file (the place was checked before)
    try {
      Files.createDirectories(reduced.toAbsolutePath().getParent());
      ModelFiles.writeReduced(reduced, rom, space, "diffusion", id);
    } catch (IOException e) {
      throw new IOException("cannot write " + reduced + ": " + Outputs.reason(e), e);
    }
    out.println("Writing detailed model and reductor to file " + prefix + "_detailed ...");
    Path detailed = detailedFile(prefix);
    try {
      ModelFiles.writeDetailed(detailed, fom, reductor);
    } catch (IOException e) {
      throw new IOException("cannot write " + detailed + ": " + Outputs.reason(e), e);
    }
  }
}
