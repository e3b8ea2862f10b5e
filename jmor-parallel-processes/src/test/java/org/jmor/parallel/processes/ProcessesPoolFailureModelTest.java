package org.jmor.parallel.processes;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.FailureModelContract;
import org.junit.jupiter.api.Disabled;

/**
 * The kit's failure model on pools of worker JVMs. Disabled: this version of {@code
 * FailureModelContract} (abae1f5) signals through static latches ({@code started}, {@code release},
 * {@code interrupted}) that a task in a worker JVM counts down in its own JVM, so 8 of its 12 tests
 * wait for a signal that never comes (run it: the killed-worker tests and the naming test pass).
 * The same behaviour is tested across processes, with signals through files, by {@link
 * ProcessesFaultTest}; enable this class when the kit's remote-capable version lands (issue 17,
 * item 2), adding its {@code killWorker}/{@code freezeWorker} hooks.
 */
@Disabled(
    "FailureModelContract signals through static latches, which do not cross JVMs;"
        + " see ProcessesFaultTest")
class ProcessesPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(ProcessesProvider.NAME);
  }
}
