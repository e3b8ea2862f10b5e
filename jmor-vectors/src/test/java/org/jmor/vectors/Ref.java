package org.jmor.vectors;

import java.util.Random;

/** Independent naive reference computations on {@code double[][]} for the tests. */
final class Ref {
  private Ref() {}

  static double[][] random(Random rnd, int len, int dim) {
    double[][] a = new double[len][dim];
    for (int i = 0; i < len; i++) {
      for (int j = 0; j < dim; j++) {
        a[i][j] = rnd.nextDouble() * 2 - 1;
      }
    }
    return a;
  }

  /** Random symmetric positive definite matrix B^T B + dim*I. */
  static double[][] spd(Random rnd, int dim) {
    double[][] b = random(rnd, dim, dim);
    double[][] m = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          s += b[k][i] * b[k][j];
        }
        m[i][j] = s + (i == j ? dim : 0);
      }
    }
    return m;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  static double[] matVec(double[][] m, double[] x) {
    double[] y = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      y[i] = dot(m[i], x);
    }
    return y;
  }

  static double[][] inner(double[][] a, double[][] b) {
    double[][] r = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        r[i][j] = dot(a[i], b[j]);
      }
    }
    return r;
  }

  static double[][] inner(double[][] a, double[][] m, double[][] b) {
    double[][] r = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        r[i][j] = dot(a[i], matVec(m, b[j]));
      }
    }
    return r;
  }

  static double[][] rows(VectorArray v) {
    double[][] r = new double[v.len()][];
    for (int i = 0; i < v.len(); i++) {
      r[i] = v.row(i);
    }
    return r;
  }
}
