package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Checks the kit's care of the shared pools by running fixtures that misbehave on purpose through
 * the JUnit launcher: a test that leaks a handle or closes the shared pool fails, the next test
 * gets a clean pool, settings changed by a test are restored, and all this holds in nested groups.
 */
class PoolTestSupportTest {

  /** Set while the launcher below runs the fixtures; surefire never selects nested classes. */
  private static volatile boolean launched;

  /** Runs on 2 threads, one misbehaviour per test, in name order. */
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class Misbehaving extends PoolTestSupport {
    static final AtomicInteger OPENED = new AtomicInteger();

    @Override
    protected PoolBuilder configure(PoolBuilder builder) {
      OPENED.incrementAndGet();
      return builder.backend("threads");
    }

    @Override
    protected int[] workerCounts() {
      return new int[] {2};
    }

    @BeforeEach
    void onlyThroughTheLauncher() {
      assumeTrue(launched, "a fixture of PoolTestSupportTest");
    }

    @Test
    void a_leaksAHandle() {
      pool(2).push(new ArrayList<>(List.of(1)));
    }

    @Test
    void b_getsACleanPoolAndClosesIt() {
      WorkerPool pool = pool(2);
      assertEquals(0, pool.statistics().liveObjects());
      pool.close();
    }

    @Test
    void c_changesSettings() {
      WorkerPool pool = pool(2);
      pool.settings().set(TestTasks.GREETING, "changed").set(TestTasks.TOLERANCE, 0.5);
      assertEquals(
          List.of("changed", "changed"), pool.apply(TestTasks.setting(TestTasks.GREETING)));
    }

    @Test
    void d_seesTheDefaultsAgain() {
      WorkerPool pool = pool(2);
      assertEquals(0, pool.statistics().liveObjects());
      assertEquals(Map.of(), pool.settings().snapshot());
      assertEquals(
          List.of("default", "default"), pool.apply(TestTasks.setting(TestTasks.GREETING)));
      assertEquals(List.of(1.0, 1.0), pool.apply(TestTasks.setting(TestTasks.TOLERANCE)));
    }

    /** Runs after the methods above: the kit's checks also cover the suites' nested groups. */
    @Nested
    class NestedGroup extends Group {
      @ParameterizedTest(name = "nested leak on {0} workers")
      @MethodSource("workerCountSource")
      void e_leaksInANestedGroup(int n) {
        WorkerPool pool = pool(n);
        assertEquals(0, pool.statistics().liveObjects(), "d left a clean pool");
        pool.push(new ArrayList<>(List.of(1)));
        pool.push(new ArrayList<>(List.of(2)));
      }
    }
  }

  @Test
  void misbehavingTestsFailAndTheNextTestGetsACleanSharedPool() {
    Misbehaving.OPENED.set(0);
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launched = true;
    try {
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request()
                  .selectors(selectClass(Misbehaving.class))
                  .build(),
              listener);
    } finally {
      launched = false;
    }
    TestExecutionSummary summary = listener.getSummary();
    Map<String, String> failures = new TreeMap<>();
    summary
        .getFailures()
        .forEach(
            f ->
                failures.put(
                    f.getTestIdentifier().getDisplayName(), f.getException().getMessage()));
    assertEquals(5, summary.getTestsStartedCount());
    assertEquals(
        List.of("a_leaksAHandle()", "b_getsACleanPoolAndClosesIt()", "nested leak on 2 workers"),
        new ArrayList<>(failures.keySet()),
        failures.toString());
    String leak = failures.get("a_leaksAHandle()");
    assertTrue(leak.contains("left 1 live remote object"), leak);
    String closed = failures.get("b_getsACleanPoolAndClosesIt()");
    assertTrue(closed.contains("closed the shared pool"), closed);
    assertTrue(closed.contains("privatePool"), closed);
    String nested = failures.get("nested leak on 2 workers");
    assertTrue(nested.contains("left 2 live remote object"), nested);
    assertEquals(
        3,
        Misbehaving.OPENED.get(),
        "a fresh pool after the leak and after the close, then reused");
  }
}
