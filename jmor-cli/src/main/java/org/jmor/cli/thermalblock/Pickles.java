package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jmor.discretizer.models.ThermalBlockModel;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.io.DetailedModelId;
import org.jmor.rb.io.ModelFiles;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;

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

  /** Checks, before any work, that both files can be written. */
  static void check(String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("--pickle: the prefix is empty");
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
    ModelFiles.writeReduced(reducedFile(prefix), rom, space, "diffusion", id);
    out.println("Writing detailed model and reductor to file " + prefix + "_detailed ...");
    ModelFiles.writeDetailed(detailedFile(prefix), fom, reductor);
  }
}
