/**
 * pyMOR's thermal-block demo as a command ({@code ./jmor thermalblock}): discretization, reduced
 * basis generation on any {@link org.jmor.parallel.WorkerPool}, error analysis, the results block,
 * a JSON report (Jackson), PNG plots (XChart) and progress bars (progressbar). The reduced-basis
 * algorithms themselves are library code in {@code jmor-rb} ({@link org.jmor.rb.algorithms} and
 * {@link org.jmor.rb.reductors}), which depends on none of these.
 */
package org.jmor.cli.thermalblock;
