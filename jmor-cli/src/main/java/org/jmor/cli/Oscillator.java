package org.jmor.cli;

/** The damped, driven oscillator of {@link SweepCommand}. */
final class Oscillator {
  private Oscillator() {}

  /**
   * Integrates {@code x'' + 2 zeta x' + x = cos(omega t)} from rest with classical Runge–Kutta
   * until the transient has decayed, then returns the maximum of |x| over the last periods.
   */
  static double amplitude(double zeta, double omega) {
    double period = 2 * Math.PI / omega;
    double settle = 20.0 / zeta; // transients decay like exp(-zeta t)
    int stepsPerPeriod = 400;
    double h = period / stepsPerPeriod;
    long steps = (long) Math.ceil(settle / h) + 5L * stepsPerPeriod;
    long measureFrom = steps - 5L * stepsPerPeriod;
    double x = 0;
    double v = 0;
    double t = 0;
    double max = 0;
    for (long s = 0; s < steps; s++) {
      double k1x = v;
      double k1v = f(t, x, v, zeta, omega);
      double k2x = v + 0.5 * h * k1v;
      double k2v = f(t + 0.5 * h, x + 0.5 * h * k1x, v + 0.5 * h * k1v, zeta, omega);
      double k3x = v + 0.5 * h * k2v;
      double k3v = f(t + 0.5 * h, x + 0.5 * h * k2x, v + 0.5 * h * k2v, zeta, omega);
      double k4x = v + h * k3v;
      double k4v = f(t + h, x + h * k3x, v + h * k3v, zeta, omega);
      x += h / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
      v += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
      t = (s + 1) * h;
      if (s >= measureFrom) {
        max = Math.max(max, Math.abs(x));
      }
    }
    return max;
  }

  private static double f(double t, double x, double v, double zeta, double omega) {
    return Math.cos(omega * t) - 2 * zeta * v - x;
  }

  /** The exact steady-state amplitude. */
  static double exactAmplitude(double zeta, double omega) {
    double a = 1 - omega * omega;
    double b = 2 * zeta * omega;
    return 1 / Math.sqrt(a * a + b * b);
  }
}
