package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.util.List;
import org.jmor.base.Immutable;
import org.junit.jupiter.api.Test;

/**
 * The README's API example, compiled and run. Keep the region between the BEGIN and END markers
 * identical to the README's code block.
 */
class ReadmeExampleTest {

  // BEGIN README example
  /** A model: never changes after construction, so pools ship it once. */
  record Model(double scale) implements Immutable, Serializable {
    double output(double mu) {
      return scale * mu;
    }
  }

  static List<Object> example() {
    try (WorkerPool pool = WorkerPools.threads(4);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Model model = new Model(2.0);
      RemoteObject<Model> remoteModel = objects.manage(pool.push(model)); // sent once

      // map: contiguous blocks per worker, results in input order
      List<Double> outputs =
          pool.map(List.of(1.0, 2.0, 3.0), remoteModel, (ctx, mu, m) -> m.output(mu));

      // scatterList: each worker holds its own slice (5 on 4 workers: 2,1,1,1)
      RemoteObject<List<Double>> slices =
          objects.manage(pool.scatterList(List.of(1.0, 2.0, 3.0, 4.0, 5.0)));
      List<Double> sums =
          pool.apply(slices, (ctx, slice) -> slice.stream().mapToDouble(Double::doubleValue).sum());

      // applyOnly: one worker; its random generator is the same on every backend and run.
      // A task with no handle, or with more than three, gets its arguments as Args.
      double draw = pool.applyOnly(3, (ctx, args) -> ctx.random().uniform(0.1, 1.0));

      return List.of(outputs, sums, draw); // [[2.0, 4.0, 6.0], [3.0, 3.0, 4.0, 5.0], 0.7875...]
    } // handles removed, then the pool closed
  }

  // END README example

  @Test
  void readmeExample_isTheCodeShownInTheReadme() throws java.io.IOException {
    String source =
        java.nio.file.Files.readString(
            java.nio.file.Paths.get("src/test/java/org/jmor/parallel/ReadmeExampleTest.java"));
    String region =
        source.substring(
            source.indexOf("// BEGIN README example\n") + "// BEGIN README example\n".length(),
            source.indexOf("  // END README example"));
    String readme = java.nio.file.Files.readString(java.nio.file.Paths.get("../README.md"));
    assertThat(readme).contains(region.replaceAll("(?m)^  ", "").strip() + "\n```");
  }

  @Test
  void readmeExample_runsAndGivesTheDocumentedResults() {
    List<Object> r = example();
    assertThat(r.get(0)).isEqualTo(List.of(2.0, 4.0, 6.0));
    assertThat(r.get(1)).isEqualTo(List.of(3.0, 3.0, 4.0, 5.0));
    double expected =
        0.1
            + 0.9
                * org.jmor.random.Pcg64.of(org.jmor.random.SeedSequence.of(42).child(3))
                    .nextDouble();
    assertThat((double) r.get(2)).isEqualTo(expected);
  }
}
