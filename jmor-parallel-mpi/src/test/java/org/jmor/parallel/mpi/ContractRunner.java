package org.jmor.parallel.mpi;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the MPI suites with the JUnit launcher on rank 0 of an {@code mpirun} job (through {@link
 * MpiMain}, so that the other ranks run the event loop) and prints a one-line verdict that {@link
 * MpiPoolTest} checks: {@code CONTRACT found=N succeeded=N failed=N skipped=N aborted=N} (aborted:
 * skipped by an assumption, such as killing a rank).
 */
public final class ContractRunner {
  private ContractRunner() {}

  /** Returns the size of this MPI job, from the launcher's environment (1 without one). */
  static int worldSize() {
    String n = System.getenv("OMPI_COMM_WORLD_SIZE");
    if (n == null) {
      n = System.getenv("PMI_SIZE");
    }
    return n == null ? 1 : Integer.parseInt(n.trim());
  }

  /**
   * Runs the suites.
   *
   * @param args ignored
   * @return 0 if every test passed and some ran, 1 otherwise
   */
  public static int run(String[] args) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(
                selectClass(MpiPoolContractSuite.class),
                selectClass(MpiPoolDifferentialSuite.class),
                selectClass(MpiPoolFailureModelSuite.class),
                selectClass(MpiTransportContractSuite.class))
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary s = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    if (s.getTotalFailureCount() > 0) {
      s.printFailuresTo(out, 30);
    }
    out.println(
        "CONTRACT found="
            + s.getTestsFoundCount()
            + " succeeded="
            + s.getTestsSucceededCount()
            + " failed="
            + s.getTotalFailureCount()
            + " skipped="
            + s.getTestsSkippedCount()
            + " aborted="
            + s.getTestsAbortedCount());
    return s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1;
  }
}
