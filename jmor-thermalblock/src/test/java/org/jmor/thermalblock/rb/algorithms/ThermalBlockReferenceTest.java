package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TestResult;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Appendix B of the thermal-block spec: {@code thermalblock 2 2 3 5} on the default grid ({@code N
 * = 100}, 20 201 DOFs), pyMOR 2022.2.0 with the tolerance tie rule.
 */
class ThermalBlockReferenceTest {

  private static final double[] MAX_ERRORS = {
    1.8745731821515643,
    1.3381139146441818,
    1.2568636472497143,
    1.2116458597594995,
    0.810666824023268
  };
  private static final int[] MAX_ERROR_INDICES = {0, 2, 6, 8, 18};

  /** Per test mu: h1_0_semi error, l2 error, estimate, effectivity, condition. */
  private static final double[][] ERRORS = {
    {
      2.1058860921825132e-02,
      2.0464706532502138e-03,
      2.3875832346869852e-02,
      8.8201578130891722e-01,
      1.3579951926602292e+00
    },
    {
      1.5634275733219011e-01,
      1.8486248190485874e-02,
      2.7725557145638791e-01,
      5.6389401486484725e-01,
      1.9476287808462618e+00
    },
    {
      9.7364909852822576e-02,
      1.1274915491638851e-02,
      1.5049544993311581e-01,
      6.4696248222849351e-01,
      2.4605284026069976e+00
    },
    {
      4.1493896533952045e-02,
      3.9004524021799113e-03,
      6.5388051942487285e-02,
      6.3457918230150701e-01,
      1.8376905643169268e+00
    },
    {
      1.6342849192564884e-01,
      1.6619833162686906e-02,
      2.0859493148570735e-01,
      7.8347297684386330e-01,
      2.1465601483375676e+00
    },
    {
      3.1046544102008251e-02,
      3.0044795959838820e-03,
      3.6726109196691385e-02,
      8.4535347688845841e-01,
      1.5661160116490942e+00
    },
    {
      1.3894164975816509e-01,
      1.3012000475020042e-02,
      2.8143384099101559e-01,
      4.9369204950232198e-01,
      3.4692604366075166e+00
    },
    {
      9.9424823450822888e-02,
      1.1732526255739796e-02,
      1.6583006236681075e-01,
      5.9955850001972733e-01,
      2.1184172370813901e+00
    },
    {
      2.5814960413070881e-02,
      2.0685229223499201e-03,
      3.6180652858198527e-02,
      7.1350178544998855e-01,
      1.5969175262532080e+00
    },
    {
      9.2455976034253040e-02,
      1.0483496600969779e-02,
      1.4032520248074165e-01,
      6.5886935774734956e-01,
      2.3201560424400069e+00
    },
  };

  /** Per test mu: FOM solution norms h1_0_semi, l2. */
  private static final double[][] NORMS = {
    {2.6644814373868797e-01, 5.8141831107566273e-02},
    {3.6482883385756087e-01, 7.0803360506031948e-02},
    {4.2965446827406867e-01, 8.9539756129015532e-02},
    {3.5212317047408304e-01, 7.5291246292600644e-02},
    {4.4126701468252316e-01, 8.6556380108151407e-02},
    {2.5982896493641700e-01, 5.5931177956062603e-02},
    {5.8235807507541060e-01, 1.1663722169672923e-01},
    {3.3547861678917684e-01, 6.8786143447378739e-02},
    {4.7587131393334031e-01, 1.0370086490232180e-01},
    {4.9095223183984837e-01, 1.0373044190547039e-01},
  };

  private static GreedyResult greedy;
  private static ErrorAnalysisResult analysis;

  @BeforeAll
  static void run() {
    ThermalBlockModel fom = ThermalBlockProblem.of(2, 2).discretize(100);
    ParameterSpace space = ParameterSpace.of(4, 0.1, 1.0);
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(fom);
    greedy = RbGreedy.builder(reductor, space.sampleUniformly(3)).maxExtensions(5).run();
    List<double[]> test = space.sampleRandomly(10, Pcg64.defaultRng(42));
    try (WorkerPool pool = WorkerPools.sequential()) {
      analysis = ErrorAnalysis.run(fom, greedy.reducedModel(), greedy.reducedBasis(), test, pool);
    }
  }

  private static void assertRelative(double actual, double expected, double rtol, String what) {
    assertThat(actual).as(what).isCloseTo(expected, within(rtol * Math.abs(expected)));
  }

  @Test
  void greedy_maximaAndSelectedParameters() {
    assertThat(greedy.trainingSetSize()).isEqualTo(81);
    assertThat(greedy.extensions()).isEqualTo(5);
    assertThat(greedy.maxErrorIndices()).containsExactly(MAX_ERROR_INDICES);
    double[] maxErrors = greedy.maxErrors();
    assertThat(maxErrors).hasSize(5);
    for (int k = 0; k < 5; k++) {
      assertRelative(maxErrors[k], MAX_ERRORS[k], 1e-12, "max error after " + k);
    }
    assertThat(greedy.maxErrorParameters().get(4)).containsExactly(0.1, 1.0, 0.1, 0.1);
    assertThat(greedy.reducedModel().dim()).isEqualTo(5);
  }

  @Test
  void errorAnalysis_perTestParameter() {
    List<TestResult> results = analysis.results();
    assertThat(results).hasSize(10);
    for (int i = 0; i < 10; i++) {
      TestResult r = results.get(i);
      assertRelative(r.h1Error(), ERRORS[i][0], 1e-9, "h1 error " + i);
      assertRelative(r.l2Error(), ERRORS[i][1], 1e-9, "l2 error " + i);
      assertRelative(r.estimate(), ERRORS[i][2], 1e-9, "estimate " + i);
      assertRelative(r.effectivity(), ERRORS[i][3], 1e-9, "effectivity " + i);
      assertRelative(r.condition(), ERRORS[i][4], 1e-9, "condition " + i);
      assertRelative(r.h1Norm(), NORMS[i][0], 1e-12, "h1 norm " + i);
      assertRelative(r.l2Norm(), NORMS[i][1], 1e-12, "l2 norm " + i);
    }
  }

  @Test
  void errorAnalysis_summaryArgmaxes() {
    assertThat(analysis.argmax(TestResult::h1Error)).isEqualTo(4);
    assertThat(analysis.argmax(TestResult::l2Error)).isEqualTo(1);
    assertThat(analysis.argmax(TestResult::estimate)).isEqualTo(6);
    assertThat(analysis.argmin(TestResult::effectivity)).isEqualTo(6);
    assertThat(analysis.argmax(TestResult::effectivity)).isEqualTo(0);
    assertThat(analysis.argmax(TestResult::condition)).isEqualTo(6);
    assertThat(analysis.argmax(TestResult::h1Norm)).isEqualTo(6);
  }
}
