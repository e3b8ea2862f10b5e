/**
 * pyMOR's thermal-block demo as a command ({@code ./jmor thermalblock}): discretization, reduced
 * basis generation on any {@link org.jmor.parallel.WorkerPool}, error analysis, the results block,
 * a JSON report and PNG plots.
 */
package org.jmor.thermalblock.demo;
