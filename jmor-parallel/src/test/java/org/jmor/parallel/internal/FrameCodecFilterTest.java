package org.jmor.parallel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The library's filter, whose class verdicts are computed once per class, answers exactly as the
 * JDK's pattern filter of the same patterns answers every question.
 */
class FrameCodecFilterTest {

  @Test
  void cachedVerdicts_answerAsTheJdkPatternFilter_forEveryQuestion() throws Exception {
    ObjectInputFilter reference =
        ObjectInputFilter.Config.createFilter(FrameCodec.LIMITS + ";" + FrameCodec.DENIED);
    ObjectInputFilter ours = FrameCodec.filter(null, null);
    List<Class<?>> types = new ArrayList<>();
    types.add(null);
    types.add(String.class);
    types.add(Integer.class);
    types.add(int[].class);
    types.add(Object[].class);
    types.add(String[][].class);
    types.add(Commands.Call.class);
    types.add(Class.forName("javax.management.ObjectName")); // denied: javax.management.**
    types.add(Class.forName("[Ljavax.management.ObjectName;")); // its array: denied too
    types.add(Class.forName("java.rmi.server.UID")); // denied: java.rmi.server.**
    long[] depths = {1, 1000, 1001, -1};
    long[] refs = {0, 100_000_000, 100_000_001};
    long[] lengths = {-1, 0, 1 << 20};
    int rejected = 0;
    for (int round = 0; round < 2; round++) { // the second round meets the cached verdicts
      for (Class<?> t : types) {
        for (long d : depths) {
          for (long r : refs) {
            for (long n : lengths) {
              ObjectInputFilter.FilterInfo q = FrameCodec.info(t, n, d, r, 1234);
              ObjectInputFilter.Status expected = reference.checkInput(q);
              assertThat(ours.checkInput(q)).as(q.toString()).isEqualTo(expected);
              if (expected == ObjectInputFilter.Status.REJECTED) {
                rejected++;
              }
            }
          }
        }
      }
    }
    assertThat(rejected)
        .as("some questions are refused, for the class and for the limits")
        .isPositive();
    assertThat(
            ours.checkInput(
                FrameCodec.info(Class.forName("javax.management.ObjectName"), -1, 1, 0, 0)))
        .isEqualTo(ObjectInputFilter.Status.REJECTED);
  }
}
